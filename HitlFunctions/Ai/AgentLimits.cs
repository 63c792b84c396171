namespace HitlFunctions.Ai;

/// <summary>
/// The bounds of an agent step's conversation, which lives in the orchestration's history: every model turn's input
/// carries the conversation so far, so its size bounds the history an agent step writes.
/// </summary>
public static class AgentLimits
{
    /// <summary>Model turns of an agent step unless its definition says otherwise.</summary>
    public const int DefaultMaxTurns = 8;

    /// <summary>The most model turns a definition may allow.</summary>
    public const int MaxTurnsLimit = 20;

    /// <summary>Tool calls of an agent step unless its definition says otherwise.</summary>
    public const int DefaultMaxToolCalls = 10;

    /// <summary>The most tool calls a definition may allow.</summary>
    public const int MaxToolCallsLimit = 25;

    /// <summary>The most tools one agent step declares.</summary>
    public const int MaxTools = 16;

    /// <summary>The longest message: the model's text and a tool's result are cut there, a call's arguments may not be longer.</summary>
    public const int MaxMessageCharacters = 4_000;

    /// <summary>The longest conversation, every message's text and arguments counted: past it the step ends.</summary>
    public const int MaxConversationCharacters = 32_000;

    /// <summary>The longest tool call id kept as the model gave it.</summary>
    public const int MaxCallIdLength = 64;

    /// <summary>Cuts <paramref name="text"/> to <see cref="MaxMessageCharacters"/>, saying so at the end.</summary>
    public static string Cut(string text)
    {
        if (text.Length <= MaxMessageCharacters)
        {
            return text;
        }

        // Never between the halves of a surrogate pair: a lone surrogate must not enter history.
        int keep = MaxMessageCharacters - 12;
        keep -= char.IsHighSurrogate(text[keep - 1]) ? 1 : 0;
        return string.Concat(text.AsSpan(0, keep), " […cut off]");
    }
}
