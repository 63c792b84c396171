using System.Threading.RateLimiting;
using HitlFunctions.Identity;
using Microsoft.Extensions.Options;

namespace HitlFunctions.SignIn;

/// <summary>
/// How often sign-in links may be asked for: per address, so nobody's mailbox can be flooded with links, and per client,
/// so one client cannot have links sent to many addresses. Fixed windows in process memory: each instance limits on its
/// own, like the link failure limiter; a window's counter is dropped once the window has passed.
/// </summary>
public sealed class SignInRequestLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> addresses;
    private readonly PartitionedRateLimiter<string> clients;
    private readonly TimeSpan window;

    public SignInRequestLimiter(IOptions<IdentityOptions> options)
    {
        SignInLinkOptions settings = options.Value.SignIn;
        this.window = settings.RequestWindow;
        this.addresses = Create(settings.MaxLinksPerAddress, settings.RequestWindow);
        this.clients = Create(settings.MaxRequestsPerClient, settings.RequestWindow);
    }

    /// <summary>Counts one request of the client's; when the client has had too many, how long it is to wait, else null.</summary>
    public TimeSpan? ClientRetryAfter(string client)
    {
        using RateLimitLease lease = this.clients.AttemptAcquire(client);
        return lease.IsAcquired ? null : lease.TryGetMetadata(MetadataName.RetryAfter, out TimeSpan wait) ? wait : this.window;
    }

    /// <summary>Counts one link for the address (trimmed, case-insensitive); false when it has had its links for the window.</summary>
    public bool TryTakeLink(string address)
    {
        using RateLimitLease lease = this.addresses.AttemptAcquire(address.Trim().ToUpperInvariant());
        return lease.IsAcquired;
    }

    public void Dispose()
    {
        this.addresses.Dispose();
        this.clients.Dispose();
    }

    private static PartitionedRateLimiter<string> Create(int limit, TimeSpan window) =>
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(
            key, _ => new FixedWindowRateLimiterOptions { PermitLimit = limit, Window = window, QueueLimit = 0 }));
}
