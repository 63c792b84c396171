namespace HitlFunctions.Identity;

/// <summary>App Service Authentication ("Easy Auth"). Section <c>Identity:EasyAuth</c>.</summary>
public sealed class EasyAuthOptions
{
    /// <summary>
    /// Whether the app runs behind Easy Auth, so that the platform's <c>X-MS-CLIENT-PRINCIPAL</c> header can be believed.
    /// Turn on only when every request reaches the app through Easy Auth (it strips the header a client sends); anywhere
    /// else the header is whatever the client wrote. Default false: the header is ignored.
    /// </summary>
    public bool Enabled { get; set; }
}
