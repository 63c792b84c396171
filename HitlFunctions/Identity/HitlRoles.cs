namespace HitlFunctions.Identity;

/// <summary>
/// What a caller may do, whatever its credential says: token roles and groups map to these
/// (<see cref="IdentityOptions.Roles"/>).
/// </summary>
public static class HitlRoles
{
    /// <summary>A person who answers the approvals they were asked. Every authenticated person has it.</summary>
    public const string Approver = "approver";

    /// <summary>Reads everything; runs the operations API and monitors.</summary>
    public const string Operator = "operator";

    /// <summary>A program that starts and cancels workflows.</summary>
    public const string Integration = "integration";

    /// <summary>An integration that may record a decision on behalf of a named approver.</summary>
    public const string OnBehalf = "on-behalf";

    /// <summary>The roles a token can grant through <see cref="IdentityOptions.Roles"/>.</summary>
    public static readonly IReadOnlyList<string> Mapped = [Operator, Integration, OnBehalf];
}
