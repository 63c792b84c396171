namespace HitlFunctions.Identity;

/// <summary>Authentication scheme names.</summary>
public static class HitlSchemes
{
    /// <summary>The policy scheme every policy uses: it forwards to the scheme the request's credential belongs to.</summary>
    public const string Default = "Hitl";

    /// <summary>JWT bearer tokens: Entra ID in Azure, <c>dotnet user-jwts</c> locally. Settings in <c>Authentication:Schemes:Bearer</c>.</summary>
    public const string Bearer = "Bearer";

    /// <summary>App Service Authentication's client-principal header, trusted only when <see cref="EasyAuthOptions.Enabled"/>.</summary>
    public const string EasyAuth = "EasyAuth";

    /// <summary>The session a person starts with an emailed sign-in link.</summary>
    public const string Cookie = "Cookies";

    /// <summary>The authentication type of the identity <see cref="HitlClaimsTransformation"/> adds.</summary>
    public const string HitlIdentity = "hitl";
}
