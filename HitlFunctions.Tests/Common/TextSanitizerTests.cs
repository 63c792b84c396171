using System.Text.Json;
using HitlFunctions.Common;

namespace HitlFunctions.Tests.Common;

/// <summary>What may and may not enter durable history.</summary>
public sealed class TextSanitizerTests
{
    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("tab\tnew\nline\r", "tab\tnew\nline\r")]
    [InlineData("a\u0000b\u0007c", "abc")]
    [InlineData("x\uFFFEy\uFFFFz", "xyz")]
    public void Clean_RemovesOnlyForbiddenCharacters(string input, string expected) => Assert.Equal(expected, TextSanitizer.Clean(input));

    // Lone surrogates cannot travel through [InlineData] (test discovery re-encodes them), so they are built here.
    [Fact]
    public void Clean_RemovesLoneSurrogates_KeepsPairs()
    {
        Assert.Equal("lone  high", TextSanitizer.Clean("lone \uD800 high"));
        Assert.Equal("lone  low", TextSanitizer.Clean("lone \uDC00 low"));
        Assert.Equal("end", TextSanitizer.Clean("end\uD83D"));
        Assert.Equal("emoji \uD83D\uDE00 stays", TextSanitizer.Clean("emoji \uD83D\uDE00 stays"));
    }

    [Fact]
    public void Clean_Json_CleansNestedStringsAndNames()
    {
        JsonElement dirty = JsonDocument.Parse("{\"na\\u0000me\": [\"a\\uFFFEb\", {\"c\": \"d\\u0001\"}], \"n\": 1}").RootElement;

        JsonElement clean = TextSanitizer.Clean(dirty);

        Assert.Equal("{\"name\":[\"ab\",{\"c\":\"d\"}],\"n\":1}", clean.GetRawText());
    }
}
