using System.Text.Json.Serialization;

namespace HitlFunctions.Monitors;

/// <summary>What a monitor checks.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TargetKind>))]
public enum TargetKind
{
    /// <summary>An HTTP endpoint that is healthy when it answers 2xx.</summary>
    [JsonStringEnumMemberName("health")]
    Health,

    /// <summary>An HTTP endpoint returning JSON; a number read at <see cref="MonitorTarget.JsonPath"/> is compared with a threshold.</summary>
    [JsonStringEnumMemberName("metric")]
    Metric,
}
