namespace HitlFunctions.Common;

/// <summary>
/// Marks an HTTP function as an admin endpoint. In Azure it runs at authorization level Function (a function key);
/// the local host requires its configured admin key for it. Approval links never carry this mark.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class AdminApiAttribute : Attribute;
