using Microsoft.Azure.Functions.Worker;

namespace HitlFunctions.Operations;

/// <summary>Endpoint metadata: the authorization level of an HTTP function, i.e. whether the Functions host asks for a function key.</summary>
public sealed record FunctionKeyLevel(AuthorizationLevel Level);
