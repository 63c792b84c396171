using HitlFunctions.Approvals;

namespace HitlFunctions.Links;

/// <summary>Log messages about links. Tokens never appear in clear: only <see cref="LinkTokens.Fingerprint"/>.</summary>
public static partial class LinkLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "No link signing key is configured: using a random key that lasts until this process stops (Development only). Configure Links:SigningKeys for links that survive restarts.")]
    public static partial void EphemeralKey(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Link {TokenFingerprint} refused ({Reason}) for client {Client}")]
    public static partial void Refused(ILogger logger, string tokenFingerprint, string reason, string client);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Client {Client} is rate-limited after repeated refused link requests")]
    public static partial void RateLimited(ILogger logger, string client);

    [LoggerMessage(Level = LogLevel.Information, Message = "Link {TokenFingerprint} recorded a decision on approval {ApprovalId}: {Status}")]
    public static partial void Decided(ILogger logger, string tokenFingerprint, string approvalId, DecisionRecordingStatus status);
}
