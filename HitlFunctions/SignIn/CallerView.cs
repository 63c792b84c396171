namespace HitlFunctions.SignIn;

/// <summary>Who a request is authenticated as (GET /api/me).</summary>
/// <param name="Kind">person or integration.</param>
/// <param name="Scheme">The authentication scheme that vouched for the caller.</param>
public sealed record CallerView(string Name, string Kind, string[] Roles, string Scheme);
