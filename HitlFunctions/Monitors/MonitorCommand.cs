using System.Text.Json.Serialization;

namespace HitlFunctions.Monitors;

/// <summary>Control events a monitor obeys.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MonitorCommand>))]
public enum MonitorCommand
{
    Pause,
    Resume,
    Stop,
}
