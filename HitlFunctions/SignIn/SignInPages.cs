using System.Text.Encodings.Web;
using HitlFunctions.Links;

namespace HitlFunctions.SignIn;

/// <summary>The sign-in pages and email, in the links' layout.</summary>
public static class SignInPages
{
    public static string Ask(string? error = null) => LinkPages.Page(
        "Sign in",
        "<h1>Sign in</h1><p>Enter your email address; we send you a link that signs you in.</p>" +
        (error is null ? string.Empty : $"<p class=\"error\">{E(error)}</p>") +
        "<form method=\"post\" action=\"/api/signin\"><label for=\"email\">Email address</label>" +
        "<input id=\"email\" name=\"email\" type=\"email\" autocomplete=\"email\" required>" +
        "<div class=\"actions\"><button type=\"submit\" class=\"approve\">Send me a sign-in link</button></div></form>");

    public static string Sent(TimeSpan lifetime) => LinkPages.Page(
        "Check your email",
        $"<h1>Check your email</h1><p>If the address can sign in, a link is on its way. It works once, within {(int)lifetime.TotalMinutes} minutes.</p>");

    public static string Confirm(string address, string token) => LinkPages.Page(
        "Sign in",
        $"<h1>Sign in as {E(address)}?</h1><p class=\"note\">This link works once.</p>" +
        "<form method=\"post\" action=\"/api/signin/session\">" +
        $"<input type=\"hidden\" name=\"token\" value=\"{E(token)}\">" +
        "<div class=\"actions\"><button type=\"submit\" class=\"approve\">Sign in</button></div></form>");

    public static string SignedIn(string address) => LinkPages.Page(
        "Signed in",
        $"<h1>Signed in as {E(address)}</h1><p>Your approvals: <a href=\"/api/approvals\">/api/approvals</a></p>" +
        "<form method=\"post\" action=\"/api/signout\"><div class=\"actions\"><button type=\"submit\">Sign out</button></div></form>");

    public static string SignedOut() => LinkPages.Page("Signed out", "<h1>Signed out</h1><p>Your session has ended.</p><p><a href=\"/api/signin\">Sign in again</a></p>");

    public static string LinkNotValid() => LinkPages.Message("Link not valid", "This sign-in link is not valid, was already used or has expired. Ask for a new one.");

    public static (string Subject, string Text, string Html) Email(Uri link, TimeSpan lifetime) => (
        "Your sign-in link",
        $"Open this link to sign in (it works once, within {(int)lifetime.TotalMinutes} minutes):\n\n{link}\n\nIf you did not ask for it, ignore this email.\n",
        $"<p>Open this link to sign in (it works once, within {(int)lifetime.TotalMinutes} minutes):</p><p><a href=\"{E(link.ToString())}\">Sign in</a></p><p>If you did not ask for it, ignore this email.</p>");

    private static string E(string text) => HtmlEncoder.Default.Encode(text);
}
