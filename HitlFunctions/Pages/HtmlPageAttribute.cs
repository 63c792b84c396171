namespace HitlFunctions.Pages;

/// <summary>
/// Marks an HTTP function whose answer is a page people read (the inbox, the dashboard): a person who is not signed in
/// is sent to sign in and back, and a refusal is a readable page rather than problem+json.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class HtmlPageAttribute : Attribute;
