using System.Net;
using System.Text.RegularExpressions;

namespace HitlFunctions.Tests.Infrastructure;

/// <summary>Reads the hidden inputs of a page's form, as a browser posts them back.</summary>
public static partial class PageForms
{
    /// <summary>The name ASP.NET Core antiforgery gives its form field.</summary>
    public const string AntiforgeryField = "__RequestVerificationToken";

    [GeneratedRegex("<input[^>]*>")]
    private static partial Regex Input();

    [GeneratedRegex("\\bname=\"([^\"]*)\"")]
    private static partial Regex Name();

    [GeneratedRegex("\\bvalue=\"([^\"]*)\"")]
    private static partial Regex Value();

    /// <summary>The value of the first input named <paramref name="name"/> in <paramref name="html"/>.</summary>
    public static string Field(string html, string name) =>
        Input().Matches(html).Select(m => m.Value).Where(i => Name().Match(i).Groups[1].Value == name).Select(i => WebUtility.HtmlDecode(Value().Match(i).Groups[1].Value)).FirstOrDefault()
            ?? throw new InvalidOperationException($"The page has no input named {name}.");
}
