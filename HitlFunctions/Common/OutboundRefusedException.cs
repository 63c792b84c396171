namespace HitlFunctions.Common;

/// <summary>An outbound request to a destination the configuration does not allow; nothing was sent.</summary>
public sealed class OutboundRefusedException(string host) : Exception($"The destination is not allowed (host {host}).")
{
    public string Host { get; } = host;
}
