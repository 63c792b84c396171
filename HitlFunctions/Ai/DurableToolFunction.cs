using Microsoft.Extensions.AI;

namespace HitlFunctions.Ai;

/// <summary>
/// A tool the orchestration calls, described to the model as an <see cref="AIFunction"/> so that
/// <see cref="ApprovalRequiredAIFunction"/> can wrap it. Microsoft.Extensions.AI would invoke an approved function inside
/// the next model turn; here each call is a durable activity of its own, with an idempotency key, so the function
/// refuses to be invoked in process.
/// </summary>
public sealed class DurableToolFunction(AIFunctionDeclaration declaration) : AIFunction
{
    public override string Name => declaration.Name;

    public override string Description => declaration.Description;

    public override System.Text.Json.JsonElement JsonSchema => declaration.JsonSchema;

    protected override ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken) =>
        throw new InvalidOperationException($"Tool '{this.Name}' runs as a durable activity of its workflow, after its approval, never inside a model turn.");
}
