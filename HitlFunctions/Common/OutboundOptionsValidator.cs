using Microsoft.Extensions.Options;

namespace HitlFunctions.Common;

/// <summary>Checks at start that every allowed destination parses, so a typo is not a silently closed door.</summary>
public sealed class OutboundOptionsValidator : IValidateOptions<OutboundOptions>
{
    public ValidateOptionsResult Validate(string? name, OutboundOptions options)
    {
        string[] bad = [.. options.Allowed.Where(entry => !string.IsNullOrWhiteSpace(entry) && OutboundDestination.Parse(entry) is null)];
        return bad.Length == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{OutboundOptions.SectionName}:Allowed has entries that are not [scheme://]host[:port|:*] with scheme http or https: {string.Join(", ", bad)}.");
    }
}
