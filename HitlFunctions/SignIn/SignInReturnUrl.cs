namespace HitlFunctions.SignIn;

/// <summary>Where a person goes after signing in: a page of this app under /api/, never another site.</summary>
public static class SignInReturnUrl
{
    /// <summary>Where a sign-in without a place to return to lands.</summary>
    public const string Default = "/api/inbox";

    /// <summary>
    /// <paramref name="value"/> when it is a local path under <c>/api/</c> (with a query, if any); null for anything
    /// else (absolute or protocol-relative URLs, backslashes, control characters), which is ignored.
    /// </summary>
    public static string? Local(string? value) =>
        value is { Length: > 5 and <= 2000 }
        && value.StartsWith("/api/", StringComparison.Ordinal)
        && !value.Contains('\\', StringComparison.Ordinal)
        && !value.Contains("//", StringComparison.Ordinal)
        && !value.Any(char.IsControl)
        && Uri.TryCreate(value, UriKind.Relative, out _)
            ? value
            : null;
}
