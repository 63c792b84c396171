using System.Reflection;
using Microsoft.Azure.Functions.Worker;

namespace HitlFunctions.Operations;

/// <summary>An HTTP function as its attributes declare it: the route below <c>/api</c>, its methods and its handler.</summary>
public sealed record HttpFunctionRoute(string Name, string Route, IReadOnlyList<string> Methods, MethodInfo Method, AuthorizationLevel AuthLevel);
