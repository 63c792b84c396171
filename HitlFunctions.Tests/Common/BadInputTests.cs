using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using HitlFunctions.Approvals;
using HitlFunctions.Tests.Infrastructure;
using Microsoft.DurableTask.Client;

namespace HitlFunctions.Tests.Common;

/// <summary>
/// Hostile input on every JSON and query route of the real local host, sent with HttpClient as an attacker's script
/// would: the inputs a review found answering 500, and a generated table of mutations of valid requests. Every answer
/// must be below 500, a refusal must be problem+json, and a refused request must change nothing.
/// </summary>
public sealed class BadInputTests(LocalHostFixture host) : IClassFixture<LocalHostFixture>
{
    private const string LoneSurrogate = "\"\\ud800\"";

    [Theory]
    [InlineData("{\"workflow\":\"content-review\",\"input\":{\"topic\":" + LoneSurrogate + ",\"editor\":\"ed@example.com\"}}", "input.topic")]
    [InlineData("{\"workflow\":\"content-review\",\"input\":{\"topic\":\"a\",\"topic\":\"b\",\"editor\":\"ed@example.com\"}}", "input.topic")]
    [InlineData("{\"workflow\":\"content-review\",\"input\":{\"topic\":\"a\",\"topic\\u0000\":\"b\",\"editor\":\"ed@example.com\"}}", "input.topic")]
    [InlineData("{\"definition\":{\"name\":\"n\",\"inputs\":[null],\"steps\":[{\"name\":\"a\",\"kind\":\"ai\",\"prompt\":\"p\"}]},\"input\":{}}", "definition.inputs[0]")]
    [InlineData("{\"definition\":{\"name\":\"n\",\"steps\":[{\"name\":\"a\",\"kind\":\"ai\",\"prompt\":\"p\"},{\"name\":\"r\",\"kind\":\"approval\",\"source\":\"a\",\"title\":\"t\",\"approvers\":[\"a@example.com\"],\"timeout\":\"01:00:00\",\"escalation\":[null]}]},\"input\":{}}", "definition.steps[1](r).escalation[0]")]
    [InlineData("{\"definition\":{\"name\":\"n\",\"steps\":[{\"name\":\"a\",\"kind\":\"ai\",\"prompt\":\"p\"},{\"name\":\"r\",\"kind\":\"approval\",\"source\":\"a\",\"title\":\"t\",\"approvers\":[\"a@example.com\"],\"timeout\":\"01:00:00\",\"escalation\":[{\"approvers\":[null],\"timeout\":\"01:00:00\"}]}]},\"input\":{}}", "definition.steps[1](r).escalation[0].approvers")]
    public async Task Start_InputsThatAnswered500_Return400AndStartNothing(string body, string field)
    {
        string before = await this.SnapshotAsync();

        using HttpResponseMessage response = await host.Http.PostAsync("/api/workflows", Json(body));

        JsonElement problem = await ProblemAssert.ReadAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(field, problem.GetProperty("field").GetString());
        Assert.Equal(before, await this.SnapshotAsync());
    }

    [Fact]
    public async Task Start_InvalidUtf8InInput_Returns400()
    {
        byte[] body = [.. Encoding.UTF8.GetBytes("{\"workflow\":\"content-review\",\"input\":{\"topic\":\"a"), 0xC3, 0x28, .. Encoding.UTF8.GetBytes("\",\"editor\":\"ed@example.com\"}}")];
        string before = await this.SnapshotAsync();

        using HttpResponseMessage response = await host.Http.PostAsync("/api/workflows", Bytes(body));

        await ProblemAssert.ReadAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(before, await this.SnapshotAsync());
    }

    [Theory]
    [InlineData("{\"decision\":\"approve\",\"approver\":\"ed@example.com\",\"edited\":{\"text\":" + LoneSurrogate + "}}", "edited.text")]
    [InlineData("{\"decision\":\"approve\",\"approver\":\"ed@example.com\",\"edited\":{\"text\":\"a\",\"text\":\"b\"}}", "edited.text")]
    [InlineData("{\"decision\":\"approve\",\"approver\":\"ed@example.com\",\"edited\":{\"text\":\"a\",\"te\\u0000xt\":\"b\"}}", "edited.text")]
    public async Task Decision_EditedThatAnswered500_Returns400AndRecordsNothing(string body, string field)
    {
        ApprovalRecord approval = await this.PendingReviewAsync();
        string before = await this.SnapshotAsync();

        using HttpResponseMessage response = await host.Http.PostAsync($"/api/approvals/{approval.ApprovalId}/decision", Json(body));

        JsonElement problem = await ProblemAssert.ReadAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(field, problem.GetProperty("field").GetString());
        Assert.Equal(before, await this.SnapshotAsync());
    }

    [Theory]
    [InlineData("/api/ops/purge?olderThan=10675199.02:48:05", "olderThan")]
    [InlineData("/api/ops/instances?continuationToken=junk", "continuationToken")]
    [InlineData("/api/ops/approvals?minAge=10675199.02:48:05", "minAge")]
    public async Task Operations_QueriesThatAnswered500_Return400(string url, string field)
    {
        await this.PendingReviewAsync();
        string before = await this.SnapshotAsync();

        using HttpResponseMessage response = url.Contains("purge", StringComparison.Ordinal) ? await host.Http.PostAsync(url, null) : await host.Http.GetAsync(url);

        JsonElement problem = await ProblemAssert.ReadAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(field, problem.GetProperty("field").GetString());
        Assert.Equal(before, await this.SnapshotAsync());
    }

    [Fact]
    public async Task ListInstances_NoFiltersOnceAWorkflowExists_ListsIt()
    {
        ApprovalRecord approval = await this.PendingReviewAsync();

        using HttpResponseMessage response = await host.Http.GetAsync("/api/ops/instances");

        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        Assert.Contains(approval.Ticket.WorkflowId, text, StringComparison.Ordinal);
    }

    /// <summary>
    /// The generated test: each valid request below is mutated at every node (removed, null, each JSON type, a lone
    /// surrogate, a NUL, nulls in arrays, duplicate and colliding keys) and as bytes (truncated, invalid UTF-8, nested
    /// too deep, trailing garbage). The valid requests are chosen so that a mutation that is still valid changes
    /// nothing either (a start with the id of an existing workflow and another body is a conflict).
    /// </summary>
    [Fact]
    public async Task EveryJsonRoute_MutatedValidRequests_NeverAnswer5xxAndRefusalsChangeNothing()
    {
        ApprovalRecord approval = await this.PendingReviewAsync();
        string workflowId = approval.Ticket.WorkflowId;
        string inlineId = await this.StartInlineAsync();
        (string Route, JsonNode Body, string[] Keep)[] routes =
        [
            ("/api/workflows", JsonNode.Parse(JsonSerializer.Serialize(ReviewStart(workflowId)))!, ["id"]),
            ("/api/workflows", JsonNode.Parse(JsonSerializer.Serialize(InlineStart(inlineId)))!, ["id"]),
            ($"/api/approvals/{approval.ApprovalId}/decision", JsonNode.Parse("""{"decision":"approve","approver":"stranger@example.com","edited":{"text":"t","n":[1,2]},"comment":"c"}""")!, []),
            ("/api/workflows/no-such-workflow/cancel", JsonNode.Parse("""{"reason":"r","requestedBy":"ops@example.com"}""")!, []),
            ("/api/monitors", JsonNode.Parse(JsonSerializer.Serialize(MonitorStart(workflowId)))!, ["id"]),
        ];

        List<string> failures = [];
        int sent = 0;
        foreach ((string route, JsonNode valid, string[] keep) in routes)
        {
            foreach ((string name, byte[] body) in Mutations(valid, keep))
            {
                string before = await this.SnapshotAsync();
                using HttpResponseMessage response = await host.Http.PostAsync(route, Bytes(body));
                sent++;
                string text = await response.Content.ReadAsStringAsync();
                int status = (int)response.StatusCode;
                if (status >= 500)
                {
                    failures.Add($"{route} {name}: {status} {text}");
                }
                else if (status >= 400 && (response.Content.Headers.ContentType?.MediaType != "application/problem+json" || !text.Contains("\"detail\"", StringComparison.Ordinal)))
                {
                    failures.Add($"{route} {name}: {status} without a problem body: {text}");
                }
                else if (await this.SnapshotAsync() != before)
                {
                    failures.Add($"{route} {name}: {status} changed state");
                }
            }
        }

        Assert.True(sent > 500, $"Only {sent} mutations were generated.");
        Assert.True(failures.Count == 0, $"{failures.Count} of {sent} mutations failed:\n{string.Join("\n", failures.Take(40))}");
    }

    /// <summary>The query routes, each parameter given values of every wrong shape.</summary>
    [Fact]
    public async Task EveryQueryRoute_HostileParameters_NeverAnswer5xx()
    {
        await this.PendingReviewAsync();
        string[] values = ["", "junk", "-1", "0", "99999999999999999999", "10675199.02:48:05", "-10675199.02:48:05", "9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z", "%00", "%F0%28", "a,b,,c", "true", "Running,junk"];
        (string Method, string Route, string[] Parameters)[] routes =
        [
            ("GET", "/api/approvals", ["approver", "workflowId", "overdue"]),
            ("GET", "/api/ops/instances", ["status", "kind", "definition", "createdAfter", "createdBefore", "pageSize", "continuationToken"]),
            ("GET", "/api/ops/approvals", ["approver", "level", "minAge", "overdue"]),
            ("GET", "/api/ops/sla", ["from", "to"]),
            ("POST", "/api/ops/purge", ["olderThan"]),
        ];

        List<string> failures = [];
        foreach ((string method, string route, string[] parameters) in routes)
        {
            foreach (string parameter in parameters.Append("unknown"))
            {
                foreach (string value in values)
                {
                    string url = $"{route}?{parameter}={value}";
                    string before = await this.SnapshotAsync();
                    using HttpResponseMessage response = method == "GET" ? await host.Http.GetAsync(url) : await host.Http.PostAsync(url, null);
                    string text = await response.Content.ReadAsStringAsync();
                    if ((int)response.StatusCode >= 500)
                    {
                        failures.Add($"{method} {url}: {(int)response.StatusCode} {text}");
                    }
                    else if ((int)response.StatusCode >= 400 && response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                    {
                        failures.Add($"{method} {url}: {(int)response.StatusCode} without a problem body");
                    }
                    else if (method == "POST" && (int)response.StatusCode >= 400 && await this.SnapshotAsync() != before)
                    {
                        failures.Add($"{method} {url}: refused but changed state");
                    }
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(40)));
    }

    private static IEnumerable<(string Name, byte[] Body)> Mutations(JsonNode valid, string[] keep)
    {
        byte[] original = Encoding.UTF8.GetBytes(valid.ToJsonString());
        yield return ("as sent", original);
        foreach ((string path, JsonNode node, JsonNode? parent, string? key, int index) in Nodes(valid, "$", null, null, -1).ToList())
        {
            bool kept = parent is JsonObject && key is not null && keep.Contains(key) && parent.Parent is null;
            JsonNode?[] replacements =
            [
                null,
                JsonValue.Create(0),
                JsonValue.Create(-1),
                JsonValue.Create(1e308),
                JsonValue.Create(long.MaxValue),
                JsonValue.Create(true),
                JsonValue.Create(string.Empty),
                JsonValue.Create("x\u0000\uFFFE\u202Ey"),
                JsonValue.Create("10675199.02:48:05"),
                new JsonArray(),
                new JsonArray(null, null),
                new JsonObject(),
            ];
            if (parent is not null)
            {
                foreach (JsonNode? replacement in replacements)
                {
                    if (kept && replacement is null)
                    {
                        continue;
                    }

                    yield return ($"{path} = {replacement?.ToJsonString() ?? "null"}", Replace(valid, parent, key, index, replacement));
                }

                yield return ($"{path} = lone surrogate", Encoding.UTF8.GetBytes(Replace(valid, parent, key, index, JsonValue.Create("__SURROGATE__")).AsString().Replace("\"__SURROGATE__\"", LoneSurrogate, StringComparison.Ordinal)));
                if (!kept && parent is JsonObject)
                {
                    yield return ($"{path} removed", Replace(valid, parent, key, index, null, remove: true));
                }
            }

            if (node is JsonObject obj && obj.Count > 0)
            {
                string first = obj.First().Key;
                string text = valid.ToJsonString();
                string marker = $"\"{first}\":";
                string inner = node.ToJsonString();
                string duplicated = inner.Replace("{" + marker, "{" + marker + obj[first]?.ToJsonString() + "," + marker, StringComparison.Ordinal);
                string colliding = inner.Replace("{" + marker, "{\"" + first + "\\u0000\":1," + marker, StringComparison.Ordinal);
                string unknown = inner.Replace("{" + marker, "{\"zz-unknown\":1," + marker, StringComparison.Ordinal);
                foreach ((string what, string changed) in new[] { ("duplicate key", duplicated), ("colliding key", colliding), ("unknown key", unknown) })
                {
                    yield return ($"{path} {what}", Encoding.UTF8.GetBytes(ReplaceOnce(text, inner, changed)));
                }
            }
        }

        for (int cut = 1; cut < original.Length; cut += Math.Max(1, original.Length / 12))
        {
            yield return ($"truncated at {cut}", original[..cut]);
        }

        int quote = Array.LastIndexOf(original, (byte)'"');
        yield return ("invalid UTF-8 in a string", [.. original[..quote], 0xC3, 0x28, .. original[quote..]]);
        yield return ("overlong UTF-8 in a string", [.. original[..quote], 0xC0, 0xAF, .. original[quote..]]);
        yield return ("NUL byte", [.. original[..quote], 0x00, .. original[quote..]]);
        yield return ("trailing garbage", [.. original, .. "}{"u8.ToArray()]);
        yield return ("nested too deep", Encoding.UTF8.GetBytes(new string('[', 200) + new string(']', 200)));
        yield return ("array instead of object", "[]"u8.ToArray());
        yield return ("a string", "\"x\""u8.ToArray());
        yield return ("byte order mark", [0xEF, 0xBB, 0xBF, .. original]);
    }

    private static IEnumerable<(string Path, JsonNode Node, JsonNode? Parent, string? Key, int Index)> Nodes(JsonNode node, string path, JsonNode? parent, string? key, int index)
    {
        yield return (path, node, parent, key, index);
        if (node is JsonObject obj)
        {
            foreach ((string name, JsonNode? child) in obj)
            {
                if (child is not null)
                {
                    foreach (var inner in Nodes(child, $"{path}.{name}", node, name, -1))
                    {
                        yield return inner;
                    }
                }
            }
        }
        else if (node is JsonArray array)
        {
            for (int i = 0; i < array.Count; i++)
            {
                if (array[i] is { } child)
                {
                    foreach (var inner in Nodes(child, $"{path}[{i}]", node, null, i))
                    {
                        yield return inner;
                    }
                }
            }
        }
    }

    private static byte[] Replace(JsonNode root, JsonNode parent, string? key, int index, JsonNode? replacement, bool remove = false)
    {
        // Mutate in place, serialize, and put the original back, so one tree serves every mutation.
        if (parent is JsonObject obj)
        {
            JsonNode? old = obj[key!];
            obj[key!] = null;
            if (remove)
            {
                obj.Remove(key!);
            }
            else
            {
                obj[key!] = replacement?.DeepClone();
            }

            byte[] bytes = Encoding.UTF8.GetBytes(root.ToJsonString());
            obj[key!] = old;
            return bytes;
        }

        JsonArray array = (JsonArray)parent;
        JsonNode? was = array[index];
        array[index] = replacement?.DeepClone();
        byte[] result = Encoding.UTF8.GetBytes(root.ToJsonString());
        array[index] = was;
        return result;
    }

    private static string ReplaceOnce(string text, string find, string replacement)
    {
        int at = text.IndexOf(find, StringComparison.Ordinal);
        return at < 0 ? text : string.Concat(text.AsSpan(0, at), replacement, text.AsSpan(at + find.Length));
    }

    private static object ReviewStart(string id) => new { workflow = "content-review", input = new { topic = "bad input", editor = "ed@example.com" }, id };

    private static object InlineStart(string id) => new
    {
        id,
        input = new { who = "a@example.com", topic = "t" },
        definition = new
        {
            name = "bad-input",
            description = "d",
            inputs = new[] { "who" },
            steps = new object[]
            {
                new { name = "draft", kind = "ai", prompt = "Write about {{input.topic}}", system = "s", json = false },
                new
                {
                    name = "review",
                    kind = "approval",
                    source = "draft",
                    title = "Review {{input.topic}}",
                    context = "c",
                    approvers = new[] { "{{input.who}}" },
                    timeout = "1.00:00:00",
                    escalation = new[] { new { approvers = new[] { "b@example.com" }, timeout = "1.00:00:00" } },
                    policy = new { kind = "quorum", requiredApprovals = 1, rejectionVetoes = true },
                    allowEdits = true,
                    reminders = new { interval = "12:00:00", maxCount = 1 },
                    onTimeout = "reject",
                    requester = "a@example.com",
                },
                new { name = "publish", kind = "action", source = "review", url = "http://127.0.0.1:9/x", maxAttempts = 2 },
            },
            output = "review",
        },
    };

    private static object MonitorStart(string id) => new
    {
        id,
        definition = new
        {
            name = "m",
            target = new { url = "http://127.0.0.1:9/health", kind = "metric", jsonPath = "a.b", above = 1.5, below = 0.5 },
            checkInterval = "00:01:00",
            failuresToIncident = 3,
            remediationUrl = "http://127.0.0.1:9/fix",
            onCall = new[] { new { approvers = new[] { "a@example.com" }, timeout = "01:00:00" } },
            quietPeriod = "01:00:00",
            reminders = new { interval = "00:30:00", maxCount = 1 },
            checksPerGeneration = 20,
        },
    };

    private async Task<ApprovalRecord> PendingReviewAsync()
    {
        string id = "bad-input-review";
        if (await host.Durable.GetInstanceAsync(id) is null)
        {
            await host.StartAsync(ReviewStart(id));
        }

        return await SettledAsync(await host.PendingApprovalAsync(id));
    }

    private async Task<string> StartInlineAsync()
    {
        string id = "bad-input-inline";
        if (await host.Durable.GetInstanceAsync(id) is null)
        {
            await host.StartAsync(InlineStart(id));
        }

        await SettledAsync(await host.PendingApprovalAsync(id));
        return id;
    }

    /// <summary>Waits until the approval's request email is sent, the last thing a start does before it waits.</summary>
    private async Task<ApprovalRecord> SettledAsync(ApprovalRecord approval)
    {
        await LocalHostFixture.WaitFor(
            () => Task.FromResult(host.Notifications.Sent.FirstOrDefault(n => n.ApprovalId == approval.ApprovalId && n.Kind == NotificationKind.Request)),
            $"the request email of approval {approval.ApprovalId}");
        return approval;
    }

    /// <summary>What a refused request must not change: the instances, the ledger and the notifications sent.</summary>
    private async Task<string> SnapshotAsync()
    {
        List<string> instances = [];
        await foreach (OrchestrationMetadata instance in host.Durable.GetAllInstancesAsync(new OrchestrationQuery { PageSize = 1000 }))
        {
            instances.Add($"{instance.InstanceId}:{instance.RuntimeStatus}");
        }

        IReadOnlyList<ApprovalRecord> records = await host.Ledger.QueryAsync(new ApprovalQuery(PendingOnly: false));
        return string.Join(",", instances.Order(StringComparer.Ordinal))
            + "|" + JsonSerializer.Serialize(records.OrderBy(r => r.ApprovalId, StringComparer.Ordinal))
            + "|" + host.Notifications.Sent.Count;
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static ByteArrayContent Bytes(byte[] body)
    {
        ByteArrayContent content = new(body);
        content.Headers.ContentType = new("application/json");
        return content;
    }
}

file static class ByteText
{
    public static string AsString(this byte[] bytes) => Encoding.UTF8.GetString(bytes);
}
