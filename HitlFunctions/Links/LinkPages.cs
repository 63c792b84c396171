using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using HitlFunctions.Approvals;
using HitlFunctions.Common;

namespace HitlFunctions.Links;

/// <summary>
/// The HTML pages people see when they open an emailed link: plain, self-contained (no scripts, no outside assets),
/// readable on a phone. Every value is HTML-encoded.
/// </summary>
public static class LinkPages
{
    private const string Style =
        "body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;padding:.5rem;line-height:1.45;color:#1b1b1b;background:#fafafa}" +
        "main{max-width:40rem;margin:0 auto;background:#fff;padding:.75rem 1rem;border:1px solid #ddd;border-radius:8px}" +
        "h1{font-size:1.25rem;margin:0 0 .25rem;overflow-wrap:anywhere}h2{font-size:1.05rem;margin:1rem 0 .25rem}.meta{margin:0 0 .5rem;color:#333;font-size:.95rem}.utc{color:#555}" +
        "pre{white-space:pre-wrap;word-wrap:break-word;background:#f3f3f3;padding:.6rem;border-radius:6px;font-size:.95rem;margin:0}" +
        "label{display:block;font-weight:600;margin-top:.6rem}.hint{font-weight:400;color:#555}" +
        "label.field{margin-top:.3rem}input,select{width:100%;box-sizing:border-box;font:inherit;padding:.3rem .45rem;margin-top:.1rem;border:1px solid #767676;border-radius:6px;background:#fff}" +
        "fieldset{border:0;padding:0;margin:0}legend{font-weight:600;padding:0}" +
        "textarea{width:100%;box-sizing:border-box;font:inherit;padding:.5rem;margin-top:.2rem;border:1px solid #767676;border-radius:6px}" +
        ".actions{display:flex;flex-wrap:wrap;gap:.5rem;margin-top:.75rem}" +
        "button{flex:1 1 auto;font:inherit;font-size:1.05rem;padding:.7rem 1rem;border-radius:6px;border:1px solid #555;background:#fff;color:#1b1b1b;cursor:pointer;min-height:2.75rem}" +
        "button.approve{background:#0b6e2e;color:#fff;border-color:#0b6e2e}button.reject{background:#a4161a;color:#fff;border-color:#a4161a}" +
        "ins{background:#d9f2df;color:#0b3d1a}del{background:#fde2e1;color:#6b0d0d}table{border-collapse:collapse;width:100%}th,td{border:1px solid #ccc;padding:.3rem;text-align:left;overflow-wrap:anywhere}" +
        ".note{color:#444;font-size:.9rem}.error{color:#a4161a;font-weight:600}dl{margin:0}dt{font-weight:600;margin-top:.5rem}dd{margin:0}";

    /// <summary>The Content-Security-Policy every link response carries: nothing but this page's own stylesheet and forms to itself.</summary>
    public static string ContentSecurityPolicy { get; } =
        $"default-src 'none'; style-src 'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Style)))}'; " +
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    /// <summary>
    /// The confirmation page, laid out for a phone: a short header (who is asked, the deadline), the proposal once (the
    /// edit box itself when edits are allowed), the comment and the buttons right after it, the context last.
    /// </summary>
    /// <param name="error">An error about the whole answer, shown above the form.</param>
    /// <param name="fieldErrors">Errors about single inputs (<c>comment</c>, a schema field's name), each shown next to its input.</param>
    /// <param name="fieldValues">What the person entered in a schema form's inputs, shown again with the errors.</param>
    public static string Confirm(
        ApprovalRecord record, string approver, LinkActions actions, string token, string formNonce, DateTimeOffset now, string? error = null, string? editedText = null, string? comment = null,
        IReadOnlyList<FieldError>? fieldErrors = null, Func<string, string?>? fieldValues = null)
    {
        ApprovalTicket ticket = record.Ticket;
        StringBuilder html = new();
        html.Append("<h1>").Append(E(ticket.Title)).Append("</h1>");
        string[] others = [.. Asking.AskedNow(ticket).Where(a => !DecisionRules.SameApprover(a, approver))];
        html.Append("<p class=\"meta\">Asked: you (").Append(E(approver)).Append(')');
        if (Asking.StandingIn(ticket, approver) is { } standIn)
        {
            html.Append(" on behalf of ").Append(E(standIn.For));
        }

        if (others.Length > 0)
        {
            html.Append(" and ").Append(E(string.Join(", ", others)));
        }

        html.Append(", level ").Append(ticket.Level).Append("<br>Answer ").Append(E(Relative(ticket.DueAt, now)))
            .Append(" <span class=\"utc\">(by ").Append(E(Time(ticket.DueAt))).Append(")</span></p>");
        fieldErrors ??= [];
        if (error is not null)
        {
            html.Append("<p class=\"error\" role=\"alert\">").Append(E(error)).Append("</p>");
        }

        bool edits = ticket.AllowEdits && actions.HasFlag(LinkActions.ApproveWithEdits);
        html.Append("<form method=\"post\" action=\"/api/links\">")
            .Append("<input type=\"hidden\" name=\"token\" value=\"").Append(E(token)).Append("\">")
            .Append("<input type=\"hidden\" name=\"nonce\" value=\"").Append(E(formNonce)).Append("\">")
            .Append("<input type=\"hidden\" name=\"proposalHash\" value=\"").Append(E(ProposalHash.Of(ticket))).Append("\">");
        if (edits && ticket.ProposalSchema is { } schema && ticket.Proposal.ValueKind == JsonValueKind.Object)
        {
            html.Append("<fieldset><legend>Proposal <span class=\"hint\">(correct it, then “Approve with edits”)</span></legend>");
            foreach (SchemaField field in ProposalSchemas.Fields(schema))
            {
                string id = $"field-{field.Name}";
                string value = fieldValues?.Invoke(field.Name) ?? (ticket.Proposal.TryGetProperty(field.Name, out JsonElement v) ? FieldText(v) : string.Empty);
                string hint = string.Join(", ", new[] { field.Type is "number" or "integer" ? field.Type : null, field.Required ? null : "optional", field.Description }.Where(h => h is not null));
                html.Append("<label class=\"field\" for=\"").Append(E(id)).Append("\">").Append(E(field.Name)).Append(hint.Length == 0 ? string.Empty : $" <span class=\"hint\">({E(hint)})</span>").Append("</label>")
                    .Append(FieldError(id, field.Name, fieldErrors));
                // aria-required, not required: the browser must not block Approve or Reject over an empty field.
                string attributes = $" id=\"{E(id)}\" name=\"field.{E(field.Name)}\"{(field.Required ? " aria-required=\"true\"" : string.Empty)}{Invalid(id, field.Name, fieldErrors)}";
                if (field.Options is { } options)
                {
                    html.Append("<select").Append(attributes).Append('>');
                    foreach (string option in field.Required && options.Contains(value) ? options : ["", .. options])
                    {
                        html.Append("<option").Append(option == value ? " selected" : string.Empty).Append('>').Append(E(option)).Append("</option>");
                    }

                    html.Append("</select>");
                }
                else if (field.Type == "boolean")
                {
                    html.Append("<select").Append(attributes).Append("><option").Append(value == "true" ? " selected" : string.Empty).Append(">true</option><option")
                        .Append(value == "true" ? string.Empty : " selected").Append(">false</option></select>");
                }
                else
                {
                    string mode = field.Type switch { "number" => " inputmode=\"decimal\"", "integer" => " inputmode=\"numeric\"", _ => string.Empty };
                    html.Append("<input type=\"text\"").Append(attributes).Append(mode).Append(" value=\"").Append(E(value)).Append("\">");
                }
            }

            html.Append("</fieldset>");
        }
        else if (edits)
        {
            html.Append("<label for=\"edited\">Proposal <span class=\"hint\">(edit it here, then press “Approve with edits”)</span></label>")
                .Append("<textarea id=\"edited\" name=\"edited\" rows=\"8\">").Append(E(editedText ?? ProposalText(ticket.Proposal))).Append("</textarea>");
        }
        else
        {
            html.Append("<h2 id=\"proposal\">Proposal</h2><pre aria-labelledby=\"proposal\">").Append(E(ProposalText(ticket.Proposal))).Append("</pre>");
        }

        bool changes = actions.HasFlag(LinkActions.RequestChanges) && Offers(ticket, LinkActions.RequestChanges);
        html.Append(changes
                ? "<label for=\"comment\">Comment or feedback <span class=\"hint\">(required for “Request changes”)</span></label>"
                : "<label for=\"comment\">Comment <span class=\"hint\">(optional)</span></label>")
            .Append(FieldError("comment", "comment", fieldErrors))
            .Append("<textarea id=\"comment\" name=\"comment\" rows=\"2\" maxlength=\"").Append(ApprovalsApi.MaxCommentLength).Append('"').Append(Invalid("comment", "comment", fieldErrors)).Append('>').Append(E(comment ?? string.Empty)).Append("</textarea>")
            .Append("<div class=\"actions\">");
        if (actions.HasFlag(LinkActions.Approve))
        {
            html.Append("<button type=\"submit\" name=\"action\" value=\"approve\" class=\"approve\">Approve</button>");
        }

        if (edits)
        {
            html.Append("<button type=\"submit\" name=\"action\" value=\"edit\">Approve with edits</button>");
        }

        if (changes)
        {
            html.Append("<button type=\"submit\" name=\"action\" value=\"request-changes\">Request changes</button>");
        }

        if (actions.HasFlag(LinkActions.Reject))
        {
            html.Append("<button type=\"submit\" name=\"action\" value=\"reject\" class=\"reject\">Reject</button>");
        }

        html.Append("</div></form><p class=\"note\">Nothing is recorded until you press a button.</p>");
        if (!string.IsNullOrWhiteSpace(ticket.Context))
        {
            html.Append("<h2>Context</h2><p>").Append(E(ticket.Context)).Append("</p>");
        }

        return Page(ticket.Title, html.ToString());
    }

    /// <summary>The error message shown right above the field it is about, announced when the page loads.</summary>
    private static string FieldError(string id, string field, IReadOnlyList<FieldError> errors) =>
        errors.FirstOrDefault(e => e.Field == field) is { } error ? $"<p class=\"error\" id=\"{E(id)}-error\" role=\"alert\">{E(error.Message)}</p>" : string.Empty;

    private static string Invalid(string id, string field, IReadOnlyList<FieldError> errors) =>
        errors.Any(e => e.Field == field) ? $" aria-invalid=\"true\" aria-describedby=\"{E(id)}-error\"" : string.Empty;

    private static string FieldText(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() ?? string.Empty,
        JsonValueKind.Null or JsonValueKind.Undefined => string.Empty,
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => value.GetRawText(),
    };

    /// <summary>Whether the approval itself offers <paramref name="action"/> (the link may allow more than a ticket does).</summary>
    public static bool Offers(ApprovalTicket ticket, LinkActions action) => action switch
    {
        LinkActions.ApproveWithEdits => ticket.AllowEdits,
        LinkActions.RequestChanges => ticket.AllowRequestChanges,
        _ => true,
    };

    /// <summary>How far away <paramref name="at"/> is, in words: "in 4 hours 59 minutes", "in 2 days 3 hours", "passed".</summary>
    public static string Relative(DateTimeOffset at, DateTimeOffset now)
    {
        TimeSpan left = at - now;
        if (left <= TimeSpan.Zero)
        {
            return "now: the deadline has passed";
        }

        static string Unit(int count, string unit) => count == 1 ? $"1 {unit}" : $"{count.ToString(CultureInfo.InvariantCulture)} {unit}s";
        return left switch
        {
            { TotalMinutes: < 1 } => "within a minute",
            { TotalHours: < 1 } => $"within {Unit((int)Math.Ceiling(left.TotalMinutes), "minute")}",
            { TotalDays: < 2 } => $"within {Unit((int)left.TotalHours, "hour")}{(left.Minutes > 0 ? " " + Unit(left.Minutes, "minute") : string.Empty)}",
            _ => $"within {Unit(left.Days, "day")}{(left.Hours > 0 ? " " + Unit(left.Hours, "hour") : string.Empty)}",
        };
    }

    /// <summary>A page saying what was recorded: after deciding, and when the link is opened again later.</summary>
    public static string Recorded(ApprovalRecord record, ApprovalDecision decision, bool justNow)
    {
        DecisionReceipt receipt = Views.Receipt(record, decision);
        StringBuilder html = new();
        html.Append("<h1>").Append(justNow ? "Thank you: your answer is recorded" : "This approval has an answer").Append("</h1>")
            .Append("<p role=\"status\"><strong>").Append(E(ReceiptText(decision))).Append("</strong></p>")
            .Append("<dl><dt>Request</dt><dd>").Append(E(record.Ticket.Title)).Append("</dd>");
        if (decision.Comment is { } comment)
        {
            html.Append(decision.Verdict == Verdict.RequestChanges ? "<dt>Feedback</dt><dd>" : "<dt>Comment</dt><dd>").Append(E(comment)).Append("</dd>");
        }

        if (decision.EditedProposal is { } edited)
        {
            html.Append("<dt>Approved text</dt><dd><pre>").Append(E(ProposalText(edited))).Append("</pre></dd>");
        }

        if (receipt.Changes is { } changes)
        {
            html.Append("<dt>Your changes</dt><dd><p class=\"note\">").Append(E(changes.Summary)).Append("</p>").Append(ChangesHtml(changes)).Append("</dd>");
        }

        string stands = receipt.ApprovalState == ApprovalState.Decided && record.Result == Verdict.RequestChanges
            ? "Sent back for changes: the revised proposal will be asked for in a new request."
            : StateText(receipt.ApprovalState);
        html.Append("<dt>Where it stands</dt><dd>").Append(E(stands)).Append("</dd></dl>");
        return Page("Answer recorded", html.ToString());
    }

    /// <summary>An edit as people read it: the text with deletions struck through and insertions underlined, or the changed fields.</summary>
    public static string ChangesHtml(ProposalChanges changes)
    {
        StringBuilder html = new();
        if (changes.Text is { } text)
        {
            html.Append("<pre class=\"diff\">");
            foreach (TextChange change in text)
            {
                html.Append(change.Op switch
                {
                    "insert" => $"<ins>{E(change.Text)}</ins>",
                    "delete" => $"<del>{E(change.Text)}</del>",
                    _ => E(change.Text),
                });
            }

            return html.Append("</pre>").ToString();
        }

        html.Append("<table><thead><tr><th scope=\"col\">Field</th><th scope=\"col\">Was</th><th scope=\"col\">Now</th></tr></thead><tbody>");
        foreach (FieldChange field in changes.Fields ?? [])
        {
            html.Append("<tr><td>").Append(E(field.Path.Length == 0 ? "(whole value)" : field.Path)).Append("</td><td>")
                .Append(E(field.Old is { } old ? old.GetRawText() : "(none)")).Append("</td><td>")
                .Append(E(field.New is { } now ? now.GetRawText() : "(none)")).Append("</td></tr>");
        }

        return html.Append("</tbody></table>").ToString();
    }

    /// <summary>The 410 page: the approval timed out, escalated past this approver or was cancelled.</summary>
    public static string Gone(ApprovalRecord record, string whatHappened, string whereItStands) =>
        Page("No longer open", $"<h1>This request is no longer open</h1><p><strong>{E(record.Ticket.Title)}</strong></p><p>{E(whatHappened)}</p><p>{E(whereItStands)}</p>");

    /// <summary>The uniform refusal: the same words for a bad, expired, misdirected or unknown link.</summary>
    public static string Refused() =>
        Page("Link not valid", $"<h1>This link is not valid</h1><p>{E(RefusedDetail)}</p>");

    /// <summary>The words of the uniform refusal.</summary>
    public const string RefusedDetail = "The link is not valid or has expired. Open the most recent email about this request, or ask the person who sent it.";

    /// <summary>A plain message page (forbidden, too many requests, bad form, unavailable).</summary>
    public static string Message(string title, string detail) =>
        Page(title, $"<h1>{E(title)}</h1><p>{E(detail)}</p>");

    /// <summary>"Approved with edits by ann@example.com at 2025-01-31 09:12 UTC".</summary>
    public static string ReceiptText(ApprovalDecision decision) =>
        $"{DecisionRules.Describe(decision)} by {DecisionRules.Who(decision)} at {Time(decision.DecidedAt)}";

    /// <summary>The proposal as text: a string as is, anything else as indented JSON.</summary>
    public static string ProposalText(JsonElement proposal) =>
        proposal.ValueKind == JsonValueKind.String ? proposal.GetString() ?? string.Empty : JsonSerializer.Serialize(proposal, IndentedJson);

    public static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    private static readonly JsonSerializerOptions IndentedJson = new() { WriteIndented = true };

    private static string StateText(ApprovalState state) => state switch
    {
        ApprovalState.Pending => "Waiting for the other approvers.",
        ApprovalState.Decided => "Decided; the workflow goes on.",
        ApprovalState.Escalated => "Escalated to the next level.",
        ApprovalState.TimedOut => "Timed out.",
        _ => "Cancelled.",
    };

    /// <summary>A page in the links' layout and stylesheet (which <see cref="ContentSecurityPolicy"/> allows); <paramref name="body"/> is HTML.</summary>
    public static string Page(string title, string body) =>
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">" +
        "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><meta name=\"referrer\" content=\"same-origin\">" +
        "<meta name=\"robots\" content=\"noindex,nofollow\">" +
        $"<title>{E(title)}</title><style>{Style}</style></head><body><main>{body}</main></body></html>";

    private static string E(string text) => HtmlEncoder.Default.Encode(text);
}
