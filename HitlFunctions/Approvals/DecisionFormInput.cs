using System.Text.Json;
using HitlFunctions.Common;
using Microsoft.AspNetCore.Http;

namespace HitlFunctions.Approvals;

/// <summary>What a decision form (<see cref="DecisionForm"/>) sends, read the same way for emailed links and the inbox.</summary>
public static class DecisionFormInput
{
    /// <summary>The longest edited proposal accepted, in characters.</summary>
    public const int MaxEditedLength = 64 * 1024;

    /// <summary>The decision a button names: approve, edit (approve with edits), request-changes or reject; null for anything else.</summary>
    public static string? Action(IFormCollection form) => form["action"].ToString().Trim().ToLowerInvariant() switch
    {
        "approve" => "approve",
        "edit" => "edit",
        "request-changes" => "request-changes",
        "reject" => "reject",
        _ => null,
    };

    /// <summary>
    /// The edited proposal of an "Approve with edits": one input per schema field (<c>field.{name}</c>) for a structured
    /// proposal, else the edit box (<c>edited</c>). Errors about the whole edit in <c>Error</c>, about fields in <c>FieldErrors</c>.
    /// </summary>
    public static (JsonElement? Edited, string? Error, IReadOnlyList<FieldError> FieldErrors) ReadEdit(IFormCollection form, ApprovalTicket ticket)
    {
        if (ticket.ProposalSchema is { } schema && ticket.Proposal.ValueKind == JsonValueKind.Object)
        {
            (JsonElement? value, IReadOnlyList<FieldError> errors) = ProposalSchemas.FromForm(schema, ticket.Proposal, name => form[$"field.{name}"].ToString());
            return (value, null, errors);
        }

        (JsonElement? edited, string? error) = ParseEdit(ticket.Proposal, form["edited"].ToString());
        return (edited, error, []);
    }

    private static (JsonElement? Edited, string? Error) ParseEdit(JsonElement proposal, string text)
    {
        string normalized = text.Replace("\r\n", "\n", StringComparison.Ordinal);
        if (string.IsNullOrWhiteSpace(normalized))
        {
            return (null, "The edited proposal is empty; write the text to approve, or press Approve.");
        }

        if (normalized.Length > MaxEditedLength)
        {
            return (null, $"The edited proposal may be at most {MaxEditedLength} characters.");
        }

        if (proposal.ValueKind == JsonValueKind.String)
        {
            return (JsonSerializer.SerializeToElement(normalized), null);
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(normalized);
            return (document.RootElement.Clone(), null);
        }
        catch (JsonException)
        {
            return (null, "The proposal is JSON: the edited text must be valid JSON too.");
        }
    }
}
