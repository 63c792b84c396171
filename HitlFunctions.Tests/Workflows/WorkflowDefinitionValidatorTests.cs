using HitlFunctions.Common;
using HitlFunctions.Workflows;

namespace HitlFunctions.Tests.Workflows;

/// <summary>Definition validation: every error names the step and the field.</summary>
public sealed class WorkflowDefinitionValidatorTests
{
    private static IReadOnlyList<FieldError> Errors(string stepsJson, string extra = "") =>
        WorkflowCatalog.Parse($"{{\"name\": \"t\", \"steps\": [{stepsJson}]{extra}}}").Errors;

    [Theory]
    [InlineData("{\"name\": \"a\", \"kind\": \"ai\"}", "steps[0](a).prompt")]
    [InlineData("{\"name\": \"a\", \"kind\": \"ai\", \"prompt\": \"{{steps.b.output}}\"}", "steps[0](a).prompt")]
    [InlineData("{\"name\": \"a\", \"kind\": \"ai\", \"prompt\": \"{{secrets.key}}\"}", "steps[0](a).prompt")]
    [InlineData("{\"name\": \"a\", \"kind\": \"ai\", \"prompt\": \"p\", \"url\": \"http://x\"}", "steps[0](a).url")]
    [InlineData("{\"name\": \"a\", \"kind\": \"ai\", \"prompt\": \"p\"}, {\"name\": \"a\", \"kind\": \"ai\", \"prompt\": \"p\"}", "steps[1](a).name")]
    [InlineData("{\"name\": \"9a\", \"kind\": \"ai\", \"prompt\": \"p\"}", "steps[0].name")]
    [InlineData("{\"name\": \"a\", \"kind\": \"ai\", \"prompt\": \"p\"}, {\"name\": \"r\", \"kind\": \"approval\", \"source\": \"a\", \"title\": \"t\", \"approvers\": [], \"timeout\": \"00:01:00\"}", "steps[1](r).approvers")]
    [InlineData("{\"name\": \"a\", \"kind\": \"ai\", \"prompt\": \"p\"}, {\"name\": \"r\", \"kind\": \"approval\", \"source\": \"a\", \"title\": \"t\", \"approvers\": [\"x@y.z\"]}", "steps[1](r).timeout")]
    [InlineData("{\"name\": \"a\", \"kind\": \"ai\", \"prompt\": \"p\"}, {\"name\": \"r\", \"kind\": \"approval\", \"source\": \"a\", \"title\": \"t\", \"approvers\": [\"x@y.z\"], \"timeout\": \"00:01:00\", \"policy\": {\"kind\": \"Quorum\", \"requiredApprovals\": 2}}", "steps[1](r).policy.requiredApprovals")]
    [InlineData("{\"name\": \"a\", \"kind\": \"ai\", \"prompt\": \"p\"}, {\"name\": \"r\", \"kind\": \"approval\", \"source\": \"a\", \"title\": \"t\", \"approvers\": [\"x@y.z\"], \"timeout\": \"00:01:00\", \"autoApproveAtConfidence\": 1.5}", "steps[1](r).autoApproveAtConfidence")]
    [InlineData("{\"name\": \"a\", \"kind\": \"ai\", \"prompt\": \"p\"}, {\"name\": \"r\", \"kind\": \"approval\", \"source\": \"a\", \"title\": \"t\", \"approvers\": [\"x@y.z\"], \"timeout\": \"00:01:00\", \"onReject\": \"nowhere\"}", "steps[1](r).onReject")]
    [InlineData("{\"name\": \"a\", \"kind\": \"ai\", \"prompt\": \"p\"}, {\"name\": \"r\", \"kind\": \"approval\", \"source\": \"a\", \"title\": \"t\", \"approvers\": [\"x@y.z\"], \"timeout\": \"00:01:00\", \"escalation\": [{\"approvers\": [], \"timeout\": \"00:01:00\"}]}", "steps[1](r).escalation[0].approvers")]
    [InlineData("{\"name\": \"a\", \"kind\": \"ai\", \"prompt\": \"p\"}, {\"name\": \"r\", \"kind\": \"approval\", \"source\": \"a\", \"title\": \"t\", \"approvers\": [\"x@y.z\"], \"timeout\": \"00:01:00\", \"onRequestChanges\": \"r2\"}, {\"name\": \"r2\", \"kind\": \"ai\", \"prompt\": \"p\"}", "steps[1](r).onRequestChanges")]
    [InlineData("{\"name\": \"a\", \"kind\": \"ai\", \"prompt\": \"p\"}, {\"name\": \"r\", \"kind\": \"approval\", \"source\": \"a\", \"title\": \"t\", \"approvers\": [\"x@y.z\"], \"timeout\": \"00:01:00\", \"maxRevisions\": 21}", "steps[1](r).maxRevisions")]
    [InlineData("{\"name\": \"a\", \"kind\": \"ai\", \"prompt\": \"p\"}, {\"name\": \"r\", \"kind\": \"approval\", \"source\": \"a\", \"title\": \"t\", \"approvers\": [\"x@y.z\"], \"timeout\": \"00:01:00\", \"onMaxRevisions\": \"shrug\"}", "steps[1].onMaxRevisions")]
    [InlineData("{\"name\": \"a\", \"kind\": \"ai\", \"prompt\": \"p\", \"outputSchema\": {\"type\": \"object\", \"properties\": {\"x\": {\"type\": \"string\"}}}}", "steps[0](a).outputSchema")]
    [InlineData("{\"name\": \"a\", \"kind\": \"ai\", \"prompt\": \"p\"}, {\"name\": \"r\", \"kind\": \"approval\", \"source\": \"a\", \"title\": \"t\", \"approvers\": [\"x@y.z\"], \"timeout\": \"00:01:00\", \"proposalSchema\": {\"type\": \"object\", \"properties\": {\"lines\": {\"type\": \"array\"}}}}", "steps[1](r).proposalSchema")]
    [InlineData("{\"name\": \"a\", \"kind\": \"ai\", \"prompt\": \"p\"}, {\"name\": \"r\", \"kind\": \"approval\", \"source\": \"a\", \"title\": \"t\", \"approvers\": [\"x@y.z\"], \"timeout\": \"00:01:00\", \"proposalSchema\": {\"type\": 7}}", "steps[1](r).proposalSchema")]
    [InlineData("{\"name\": \"a\", \"kind\": \"ai\", \"prompt\": \"p\"}, {\"name\": \"s\", \"kind\": \"action\", \"source\": \"a\"}", "steps[1](s).url")]
    [InlineData("{\"name\": \"s\", \"kind\": \"action\", \"source\": \"later\", \"url\": \"http://x\"}", "steps[0](s).source")]
    [InlineData("{\"name\": \"a\", \"kind\": \"robot\"}", "steps[0].kind")]
    [InlineData("{\"name\": \"g\", \"kind\": \"agent\", \"prompt\": \"p\", \"tools\": []}", "steps[0](g).tools")]
    [InlineData("{\"name\": \"g\", \"kind\": \"agent\", \"prompt\": \"p\", \"tools\": [{\"name\": \"t\", \"description\": \"d\", \"url\": \"http://x\", \"parameters\": {\"type\": \"object\", \"properties\": {\"n\": {\"type\": \"number\"}}}}], \"url\": \"http://x\"}", "steps[0](g).url")]
    [InlineData("{\"name\": \"g\", \"kind\": \"agent\", \"prompt\": \"p\", \"tools\": [{\"name\": \"t\", \"description\": \"d\", \"url\": \"http://x\", \"parameters\": {\"type\": \"object\", \"properties\": {\"n\": {\"type\": \"number\"}}}}], \"maxTurns\": 0}", "steps[0](g).maxTurns")]
    [InlineData("{\"name\": \"g\", \"kind\": \"agent\", \"prompt\": \"p\", \"tools\": [{\"name\": \"t\", \"description\": \"d\", \"url\": \"http://x\", \"parameters\": {\"type\": \"object\", \"properties\": {\"n\": {\"type\": \"number\"}}}, \"approval\": {\"approvers\": [\"a@b.c\"], \"timeout\": \"00:01:00\"}}]}", "steps[0](g).tools[0].approval")]
    [InlineData("{\"name\": \"g\", \"kind\": \"agent\", \"prompt\": \"p\", \"tools\": [{\"name\": \"t\", \"description\": \"d\", \"url\": \"http://x\", \"parameters\": {\"type\": \"object\", \"properties\": {\"n\": {\"type\": \"number\"}}}, \"requiresApproval\": true, \"approval\": {\"approvers\": [\"a@b.c\"]}}]}", "steps[0](g).tools[0].approval.timeout")]
    [InlineData("{\"name\": \"g\", \"kind\": \"agent\", \"prompt\": \"p\", \"tools\": [{\"name\": \"t\", \"description\": \"d\", \"url\": \"http://x\", \"parameters\": {\"type\": \"object\", \"properties\": {\"n\": {\"type\": \"number\"}}}, \"requiresApproval\": true, \"approval\": {\"approvers\": [\"a@b.c\"], \"timeout\": \"00:01:00\", \"escalation\": [{\"approvers\": [], \"timeout\": \"00:01:00\"}]}}]}", "steps[0](g).tools[0].approval.escalation[0].approvers")]
    [InlineData("{\"name\": \"g\", \"kind\": \"agent\", \"prompt\": \"p\", \"tools\": [{\"name\": \"t\", \"description\": \"d\", \"url\": \"http://x\", \"parameters\": {\"type\": \"object\", \"properties\": {\"n\": {\"type\": \"number\"}}}, \"requiresApproval\": true, \"approval\": {\"approvers\": [\"{{steps.x.output}}\"], \"timeout\": \"00:01:00\"}}]}", "steps[0](g).tools[0].approval.approvers")]
    [InlineData("{\"name\": \"g\", \"kind\": \"agent\", \"prompt\": \"p\", \"tools\": [{\"name\": \"t\", \"description\": \"d\", \"url\": \"{{steps.a.output}}\", \"parameters\": {\"type\": \"object\", \"properties\": {\"n\": {\"type\": \"number\"}}}}]}", "steps[0](g).tools[0].url")]
    [InlineData("{\"name\": \"g\", \"kind\": \"agent\", \"prompt\": \"p\", \"tools\": [{\"name\": \"t\", \"description\": \"d\", \"url\": \"http://x\", \"parameters\": {\"type\": \"object\"}}]}", "steps[0](g).tools[0].parameters")]
    [InlineData("{\"name\": \"a\", \"kind\": \"ai\", \"prompt\": \"p\", \"tools\": []}", "steps[0](a).tools")]
    [InlineData("{\"name\": \"a\", \"kind\": \"ai\", \"prompt\": \"p\", \"temperature\": 1}", "steps[0].temperature")]
    [InlineData("{\"name\": \"a\", \"kind\": \"ai\", \"prompt\": \"p\", \"json\": \"yes\"}", "steps[0].json")]
    public void Validate_NamesTheStepAndField(string steps, string field)
    {
        IReadOnlyList<FieldError> errors = Errors(steps);

        Assert.Contains(errors, e => e.Field == field);
    }

    [Fact]
    public void Validate_UnknownOutputStep_IsAnError() =>
        Assert.Contains(Errors("{\"name\": \"a\", \"kind\": \"ai\", \"prompt\": \"p\"}", ", \"output\": \"zzz\""), e => e.Field == "output");

    [Fact]
    public void Validate_ShippedExamples_AreValid()
    {
        string folder = Path.Combine(AppContext.BaseDirectory, "Workflows");
        string[] files = Directory.GetFiles(folder, "*.json");

        Assert.Contains(files, f => f.EndsWith("content-review.json", StringComparison.Ordinal));
        Assert.Contains(files, f => f.EndsWith("invoice-triage.json", StringComparison.Ordinal));
        foreach (string file in files)
        {
            (WorkflowDefinition? definition, IReadOnlyList<FieldError> errors) = WorkflowCatalog.Parse(File.ReadAllText(file));
            Assert.NotNull(definition);
            Assert.Empty(errors);
        }
    }
}
