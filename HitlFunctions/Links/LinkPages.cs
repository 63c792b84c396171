using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using HitlFunctions.Approvals;

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
        "textarea{width:100%;box-sizing:border-box;font:inherit;padding:.5rem;margin-top:.2rem;border:1px solid #767676;border-radius:6px}" +
        ".actions{display:flex;flex-wrap:wrap;gap:.5rem;margin-top:.75rem}" +
        "button{flex:1 1 auto;font:inherit;font-size:1.05rem;padding:.7rem 1rem;border-radius:6px;border:1px solid #555;background:#fff;color:#1b1b1b;cursor:pointer;min-height:2.75rem}" +
        "button.approve{background:#0b6e2e;color:#fff;border-color:#0b6e2e}button.reject{background:#a4161a;color:#fff;border-color:#a4161a}" +
        ".note{color:#444;font-size:.9rem}.error{color:#a4161a;font-weight:600}dl{margin:0}dt{font-weight:600;margin-top:.5rem}dd{margin:0}";

    /// <summary>The Content-Security-Policy every link response carries: nothing but this page's own stylesheet and forms to itself.</summary>
    public static string ContentSecurityPolicy { get; } =
        $"default-src 'none'; style-src 'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Style)))}'; " +
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    /// <summary>
    /// The confirmation page, laid out for a phone: a short header (who is asked, the deadline), the proposal once (the
    /// edit box itself when edits are allowed), the comment and the buttons right after it, the context last.
    /// </summary>
    public static string Confirm(ApprovalRecord record, string approver, LinkActions actions, string token, string formNonce, DateTimeOffset now, string? error = null, string? editedText = null, string? comment = null)
    {
        ApprovalTicket ticket = record.Ticket;
        StringBuilder html = new();
        html.Append("<h1>").Append(E(ticket.Title)).Append("</h1>");
        string[] others = [.. ticket.Approvers.Where(a => !DecisionRules.SameApprover(a, approver))];
        html.Append("<p class=\"meta\">Asked: you (").Append(E(approver)).Append(')');
        if (others.Length > 0)
        {
            html.Append(" and ").Append(E(string.Join(", ", others)));
        }

        html.Append(", level ").Append(ticket.Level).Append("<br>Answer ").Append(E(Relative(ticket.DueAt, now)))
            .Append(" <span class=\"utc\">(by ").Append(E(Time(ticket.DueAt))).Append(")</span></p>");
        if (error is not null)
        {
            html.Append("<p class=\"error\" role=\"alert\">").Append(E(error)).Append("</p>");
        }

        bool edits = ticket.AllowEdits && actions.HasFlag(LinkActions.ApproveWithEdits);
        html.Append("<form method=\"post\" action=\"/api/links\">")
            .Append("<input type=\"hidden\" name=\"token\" value=\"").Append(E(token)).Append("\">")
            .Append("<input type=\"hidden\" name=\"nonce\" value=\"").Append(E(formNonce)).Append("\">");
        if (edits)
        {
            html.Append("<label for=\"edited\">Proposal <span class=\"hint\">(edit it here, then press “Approve with edits”)</span></label>")
                .Append("<textarea id=\"edited\" name=\"edited\" rows=\"8\">").Append(E(editedText ?? ProposalText(ticket.Proposal))).Append("</textarea>");
        }
        else
        {
            html.Append("<h2 id=\"proposal\">Proposal</h2><pre aria-labelledby=\"proposal\">").Append(E(ProposalText(ticket.Proposal))).Append("</pre>");
        }

        html.Append("<label for=\"comment\">Comment <span class=\"hint\">(optional)</span></label>")
            .Append("<textarea id=\"comment\" name=\"comment\" rows=\"2\" maxlength=\"").Append(ApprovalsApi.MaxCommentLength).Append("\">").Append(E(comment ?? string.Empty)).Append("</textarea>")
            .Append("<div class=\"actions\">");
        if (actions.HasFlag(LinkActions.Approve))
        {
            html.Append("<button type=\"submit\" name=\"action\" value=\"approve\" class=\"approve\">Approve</button>");
        }

        if (edits)
        {
            html.Append("<button type=\"submit\" name=\"action\" value=\"edit\">Approve with edits</button>");
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
            html.Append("<dt>Comment</dt><dd>").Append(E(comment)).Append("</dd>");
        }

        if (decision.EditedProposal is { } edited)
        {
            html.Append("<dt>Approved text</dt><dd><pre>").Append(E(ProposalText(edited))).Append("</pre></dd>");
        }

        html.Append("<dt>Where it stands</dt><dd>").Append(E(StateText(receipt.ApprovalState))).Append("</dd></dl>");
        return Page("Answer recorded", html.ToString());
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
        $"{DecisionRules.Describe(decision)} by {decision.Approver} at {Time(decision.DecidedAt)}";

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
