namespace HitlFunctions.Pages;

/// <summary>One embedded stylesheet or script; <paramref name="Version"/> is a hash of its content.</summary>
public sealed record PageAsset(string Name, string ContentType, byte[] Content, string Version);
