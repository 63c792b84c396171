namespace HitlFunctions.Common;

/// <summary>
/// Documents a query parameter an HTTP function reads itself (with <see cref="QueryReader"/>), for the OpenAPI
/// document: the function signature names only its route parameters.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class QueryParameterAttribute(string name, Type type, string description) : Attribute
{
    public string Name { get; } = name;

    /// <summary>string, bool, int, TimeSpan (d.hh:mm:ss) or DateTimeOffset (ISO 8601).</summary>
    public Type Type { get; } = type;

    public string Description { get; } = description;
}
