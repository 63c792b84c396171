using System.ComponentModel.DataAnnotations;

namespace HitlFunctions.Links;

/// <summary>One link signing key.</summary>
public sealed class LinkSigningKey
{
    /// <summary>A short name carried in each token (letters, digits, dashes; at most 16), so the right key verifies it.</summary>
    [Required]
    [RegularExpression("^[A-Za-z0-9-]{1,16}$")]
    public string Id { get; set; } = string.Empty;

    /// <summary>The secret: base64 of at least 32 random bytes (<c>openssl rand -base64 32</c>). From a secret store.</summary>
    [Required]
    public string Secret { get; set; } = string.Empty;

    /// <summary>When the key was made; the newest key signs. Optional: without it, the last key listed signs.</summary>
    public DateTimeOffset? Created { get; set; }
}
