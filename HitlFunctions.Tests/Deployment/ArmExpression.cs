using System.Globalization;
using System.Text;

namespace HitlFunctions.Tests.Deployment;

/// <summary>
/// A reader for the ARM template expressions Bicep compiles to (<c>[union(createObject('a', parameters('x')), ...)]</c>):
/// enough to list the keys of every object an expression builds and the string literals below them.
/// </summary>
public sealed class ArmExpression
{
    private readonly string text;
    private int position;

    private ArmExpression(string text) => this.text = text;

    /// <summary>A function call, a string or number literal, or a property access (<c>.name</c>) on another node.</summary>
    public sealed record Node(string Kind, string Value, IReadOnlyList<Node> Children)
    {
        public IEnumerable<Node> DescendantsAndSelf() => this.Children.SelectMany(c => c.DescendantsAndSelf()).Prepend(this);

        public IEnumerable<string> StringLiterals() => this.DescendantsAndSelf().Where(n => n.Kind == "string").Select(n => n.Value);
    }

    /// <summary>Parses <c>[expression]</c>; a plain JSON string (no brackets) is a string literal.</summary>
    public static Node Parse(string value)
    {
        if (!value.StartsWith('[') || value.StartsWith("[[", StringComparison.Ordinal) || !value.EndsWith(']'))
        {
            return new Node("string", value, []);
        }

        ArmExpression reader = new(value[1..^1]);
        Node node = reader.ReadExpression();
        reader.SkipSpace();
        return reader.position == reader.text.Length ? node : throw reader.Error("end of expression");
    }

    /// <summary>
    /// The keys of every <c>createObject</c> call under <paramref name="node"/>, each with its value: a key written as
    /// <c>format('Name__{0}__Id', ...)</c> (one key per list entry) is given as its pattern.
    /// </summary>
    public static IEnumerable<KeyValuePair<string, Node>> ObjectEntries(Node node)
    {
        foreach (Node call in node.DescendantsAndSelf().Where(n => n.Kind == "call" && n.Value.Equals("createObject", StringComparison.OrdinalIgnoreCase)))
        {
            for (int i = 0; i + 1 < call.Children.Count; i += 2)
            {
                Node key = call.Children[i];
                string? name = key.Kind == "string" ? key.Value
                    : key is { Kind: "call", Value: "format" } && key.Children[0].Kind == "string" ? key.Children[0].Value
                    : null;
                yield return new KeyValuePair<string, Node>(name ?? throw new InvalidOperationException($"An app setting's name is computed ({key.Kind} {key.Value}); the test cannot read it."), call.Children[i + 1]);
            }
        }
    }

    private Node ReadExpression()
    {
        this.SkipSpace();
        Node node = this.Peek() switch
        {
            '\'' => new Node("string", this.ReadString(), []),
            char c when char.IsDigit(c) || c == '-' => new Node("number", this.ReadWhile(ch => char.IsDigit(ch) || ch == '-'), []),
            char c when char.IsLetter(c) => this.ReadCall(),
            _ => throw this.Error("a value"),
        };

        while (true)
        {
            this.SkipSpace();
            if (this.TryRead('.'))
            {
                node = new Node("property", this.ReadWhile(ch => char.IsLetterOrDigit(ch) || ch == '_' || ch == '$'), [node]);
            }
            else if (this.TryRead('['))
            {
                Node index = this.ReadExpression();
                this.Expect(']');
                node = new Node("index", string.Empty, [node, index]);
            }
            else
            {
                return node;
            }
        }
    }

    private Node ReadCall()
    {
        string name = this.ReadWhile(ch => char.IsLetterOrDigit(ch) || ch == '_' || ch == '.');
        this.SkipSpace();
        List<Node> arguments = [];
        this.Expect('(');
        this.SkipSpace();
        if (!this.TryRead(')'))
        {
            do
            {
                arguments.Add(this.ReadExpression());
                this.SkipSpace();
            }
            while (this.TryRead(','));
            this.Expect(')');
        }

        return new Node("call", name, arguments);
    }

    private string ReadString()
    {
        this.Expect('\'');
        StringBuilder value = new();
        while (true)
        {
            char c = this.position < this.text.Length ? this.text[this.position++] : throw this.Error("the end of a string");
            if (c == '\'')
            {
                if (!this.TryRead('\''))
                {
                    return value.ToString();
                }
            }

            value.Append(c);
        }
    }

    private string ReadWhile(Func<char, bool> predicate)
    {
        int start = this.position;
        while (this.position < this.text.Length && predicate(this.text[this.position]))
        {
            this.position++;
        }

        return this.position > start ? this.text[start..this.position] : throw this.Error("a name or number");
    }

    private char Peek() => this.position < this.text.Length ? this.text[this.position] : '\0';

    private bool TryRead(char c)
    {
        if (this.Peek() != c)
        {
            return false;
        }

        this.position++;
        return true;
    }

    private void Expect(char c)
    {
        if (!this.TryRead(c))
        {
            throw this.Error($"'{c}'");
        }
    }

    private void SkipSpace()
    {
        while (char.IsWhiteSpace(this.Peek()))
        {
            this.position++;
        }
    }

    private FormatException Error(string expected) =>
        new(string.Create(CultureInfo.InvariantCulture, $"Expected {expected} at {this.position} in [{this.text}]."));
}
