namespace HitlFunctions.Identity;

/// <summary>Who callers are and what they may do. Section <c>Identity</c>.</summary>
public sealed class IdentityOptions
{
    public const string SectionName = "Identity";

    public EasyAuthOptions EasyAuth { get; set; } = new();

    /// <summary>
    /// Per role (operator, integration, on-behalf): the token role or group values that grant it, e.g.
    /// <c>Identity:Roles:operator:0=HitlFunctions.Operator</c> or an Entra group's object id. A role not listed is
    /// granted by a token role of the same name.
    /// </summary>
    public Dictionary<string, List<string>> Roles { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Addresses of people who are operators however they signed in (also by emailed link, which carries no roles).
    /// Development ships operator@example.com.
    /// </summary>
    public List<string> Operators { get; set; } = [];

    public SignInLinkOptions SignIn { get; set; } = new();
}
