using HitlFunctions.Approvals;

namespace HitlFunctions.Notifications;

/// <summary>A rendered email for one recipient.</summary>
/// <param name="Key">The outbox message's dedupe key; also the Message-Id's local part.</param>
/// <param name="Link">The recipient's approval link, when the email has one.</param>
public sealed record EmailMessage(string Key, NotificationKind Kind, string To, string Subject, string Text, string Html, Uri? Link);
