using System.Text.Json.Serialization;

namespace HitlFunctions.Monitors;

/// <summary>Whether a monitor checks.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MonitorMode>))]
public enum MonitorMode
{
    Active,
    Paused,
    Stopped,
}
