using System.Text.RegularExpressions;

namespace HitlFunctions.Common;

/// <summary>What the app accepts as an email address (approvers, on-call, requesters): one rule for every input.</summary>
public static partial class EmailAddress
{
    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex Pattern();

    public static bool IsValid(string? address) => address is not null && Pattern().IsMatch(address);
}
