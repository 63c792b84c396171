namespace HitlFunctions.Identity;

/// <summary>The authorization policies HTTP functions name in <c>[Authorize(Policy = ...)]</c>.</summary>
public static class HitlPolicies
{
    /// <summary>An authenticated person (with an address) or integration; what each may see is decided by the handler.</summary>
    public const string Caller = "hitl-caller";

    /// <summary>Someone with the operator role.</summary>
    public const string Operator = "hitl-operator";

    /// <summary>An integration or an operator: starts and cancels workflows.</summary>
    public const string Starter = "hitl-starter";
}
