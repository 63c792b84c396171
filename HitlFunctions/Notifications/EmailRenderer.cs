using System.Text.Encodings.Web;
using System.Text.RegularExpressions;
using HitlFunctions.Approvals;
using HitlFunctions.Links;
using Microsoft.Extensions.Options;

namespace HitlFunctions.Notifications;

/// <summary>
/// Renders an outbox message into an email from template files (<c>{Kind}.subject.txt</c>, <c>{Kind}.txt</c>,
/// <c>{Kind}.html</c> in <see cref="EmailOptions.TemplateFolder"/>; placeholders <c>{{name}}</c>), read at each
/// render so they can be changed without a build. Approvers' emails get their own link, issued here from the live
/// ledger, so no token passes through durable history or the queue.
/// </summary>
public sealed partial class EmailRenderer(IApprovalLedger ledger, LinkTokens tokens, LinkBaseUrl baseUrl, IOptions<LinkOptions> linkOptions, IOptions<EmailOptions> emailOptions)
{
    [GeneratedRegex(@"\{\{\s*([a-zA-Z]+)\s*\}\}")]
    private static partial Regex Placeholder();

    /// <summary>Renders the email, or returns null when it is pointless now (the approval it asks about is closed, or no longer asks the recipient).</summary>
    public async Task<EmailMessage?> RenderAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        NotificationMessage notification = message.Notification;
        ApprovalRecord? record = await ledger.GetAsync(notification.ApprovalId, cancellationToken);
        Uri? link = null;
        if (notification.Kind != NotificationKind.DecisionNotice)
        {
            if (record is not { State: ApprovalState.Pending } || Asking.SeatOf(record.Ticket, message.Recipient) is null)
            {
                return null;
            }

            LinkActions actions = LinkActions.Approve | LinkActions.Reject | (record.Ticket.AllowEdits ? LinkActions.ApproveWithEdits : LinkActions.None)
                | (record.Ticket.AllowRequestChanges ? LinkActions.RequestChanges : LinkActions.None);
            string token = tokens.Issue(record.ApprovalId, message.Recipient, record.Ticket.Level, actions, record.Ticket.DueAt + linkOptions.Value.ExpiryGrace);
            link = baseUrl.LinkFor(token);
        }

        Dictionary<string, string> values = new(StringComparer.OrdinalIgnoreCase)
        {
            ["title"] = notification.Title,
            ["recipient"] = message.Recipient,
            ["link"] = link?.ToString() ?? string.Empty,
            ["deadline"] = ApprovalText.Time(notification.DueAt),
            ["level"] = notification.Level.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["detail"] = notification.Detail ?? string.Empty,
            ["workflowId"] = notification.WorkflowId,
            ["proposal"] = record is null ? string.Empty : Excerpt(ApprovalText.ProposalText(record.Ticket.Proposal)),
            ["context"] = record?.Ticket.Context ?? string.Empty,
            ["approvers"] = record is null ? string.Empty : string.Join(", ", Asking.AskedNow(record.Ticket)),
            ["onBehalf"] = record is null ? string.Empty : OnBehalf(record.Ticket, message.Recipient),
        };

        string kind = notification.Kind.ToString();
        string subject = Fill(await this.ReadAsync($"{kind}.subject.txt", cancellationToken), values, html: false).Trim().ReplaceLineEndings(" ");
        string text = Fill(await this.ReadAsync($"{kind}.txt", cancellationToken), values, html: false);
        string htmlBody = Fill(await this.ReadAsync($"{kind}.html", cancellationToken), values, html: true);
        return new EmailMessage(message.DedupeKey, notification.Kind, message.Recipient, subject, text, htmlBody, link);
    }

    private Task<string> ReadAsync(string name, CancellationToken cancellationToken)
    {
        string folder = emailOptions.Value.TemplateFolder;
        string path = Path.Combine(Path.IsPathRooted(folder) ? folder : Path.Combine(AppContext.BaseDirectory, folder), name);
        return File.ReadAllTextAsync(path, cancellationToken);
    }

    private static string Fill(string template, Dictionary<string, string> values, bool html) =>
        Placeholder().Replace(template, match => values.TryGetValue(match.Groups[1].Value, out string? value)
            ? (html ? HtmlEncoder.Default.Encode(value) : value)
            : match.Value);

    /// <summary>For a stand-in's email, whose answer they give and why; empty for the approvers themselves.</summary>
    private static string OnBehalf(ApprovalTicket ticket, string recipient) => Asking.StandingIn(ticket, recipient) switch
    {
        { Reason: StandInReason.Reassigned } s => $"You are asked on behalf of {s.For}: {s.By} passed this request to you{(s.Note is { } comment ? $" with the comment \"{comment}\"" : string.Empty)}.",
        { } s => $"You are asked on behalf of {s.For} ({Asking.ModeText(s)}), {s.For} is {s.Note ?? "away"}.",
        null => string.Empty,
    };

    private static string Excerpt(string text) => text.Length <= 2000 ? text : text[..2000] + "…";
}
