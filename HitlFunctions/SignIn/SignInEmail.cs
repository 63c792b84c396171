using System.Text.Encodings.Web;

namespace HitlFunctions.SignIn;

/// <summary>The email that carries a sign-in link.</summary>
public static class SignInEmail
{
    public static (string Subject, string Text, string Html) Render(Uri link, TimeSpan lifetime) => (
        "Your sign-in link",
        $"Open this link to sign in (it works once, within {(int)lifetime.TotalMinutes} minutes):\n\n{link}\n\nIf you did not ask for it, ignore this email.\n",
        $"<p>Open this link to sign in (it works once, within {(int)lifetime.TotalMinutes} minutes):</p><p><a href=\"{HtmlEncoder.Default.Encode(link.ToString())}\">Sign in</a></p><p>If you did not ask for it, ignore this email.</p>");
}
