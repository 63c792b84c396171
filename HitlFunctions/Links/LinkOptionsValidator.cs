using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace HitlFunctions.Links;

/// <summary>Checks <see cref="LinkOptions"/> at start: keys well formed and present outside Development, a usable base URL.</summary>
public sealed class LinkOptionsValidator(IHostEnvironment environment) : IValidateOptions<LinkOptions>
{
    public const string NoKeyMessage =
        "Links:SigningKeys is empty. Emailed approval links need at least one signing key outside Development: set " +
        "Links__SigningKeys__0__Id and Links__SigningKeys__0__Secret (base64 of 32 random bytes, e.g. `openssl rand -base64 32`) from a secret store.";

    public ValidateOptionsResult Validate(string? name, LinkOptions options)
    {
        List<string> failures = [];
        if (options.SigningKeys.Count == 0 && !environment.IsDevelopment())
        {
            failures.Add(NoKeyMessage);
        }

        foreach (LinkSigningKey key in options.SigningKeys)
        {
            if (!System.Text.RegularExpressions.Regex.IsMatch(key.Id ?? string.Empty, "^[A-Za-z0-9-]{1,16}$"))
            {
                failures.Add($"Links:SigningKeys: key id '{key.Id}' must be 1 to 16 letters, digits or dashes.");
            }

            byte[]? secret = null;
            try
            {
                secret = Convert.FromBase64String(key.Secret ?? string.Empty);
            }
            catch (FormatException)
            {
                // Reported below.
            }

            if (secret is not { Length: >= 32 })
            {
                failures.Add($"Links:SigningKeys: the secret of key '{key.Id}' must be base64 of at least 32 bytes.");
            }
        }

        if (options.SigningKeys.GroupBy(k => k.Id, StringComparer.Ordinal).Any(g => g.Count() > 1))
        {
            failures.Add("Links:SigningKeys: key ids must be unique.");
        }

        if (options.PublicBaseUrl is null && !environment.IsDevelopment())
        {
            failures.Add("Links:PublicBaseUrl is required outside Development: the address people open approval links at, e.g. https://approvals.example.com.");
        }
        else if (options.PublicBaseUrl is { } url && (!url.IsAbsoluteUri || url.Scheme is not ("https" or "http") || !string.IsNullOrEmpty(url.Query)))
        {
            failures.Add($"Links:PublicBaseUrl '{url}' must be an absolute http(s) URL without a query.");
        }
        else if (options.PublicBaseUrl is { Scheme: "http" } plain && !plain.IsLoopback && !environment.IsDevelopment())
        {
            failures.Add($"Links:PublicBaseUrl '{plain}' must use https outside Development (http is allowed on loopback only).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
