using Microsoft.Azure.Functions.Worker;

namespace HitlFunctions.Operations;

/// <summary>Endpoint metadata: the key an HTTP function requires, for the OpenAPI document's security requirements.</summary>
/// <param name="Admin">An admin endpoint (<see cref="Common.AdminApiAttribute"/>): the local host requires its admin key.</param>
public sealed record FunctionAuthorization(AuthorizationLevel Level, bool Admin);
