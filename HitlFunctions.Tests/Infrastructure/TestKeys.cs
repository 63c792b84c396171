namespace HitlFunctions.Tests.Infrastructure;

/// <summary>Link signing keys for tests: an older one that still verifies, and the current one that signs.</summary>
public static class TestKeys
{
    public const string OldId = "k2024";
    public const string OldSecret = "b2xkLWtleS1mb3ItdGVzdHMtb25seS0xMjM0NTY3ODkwYWJjZGVm";
    public const string CurrentId = "k2025";
    public const string CurrentSecret = "Y3VycmVudC1rZXktZm9yLXRlc3RzLW9ubHktMTIzNDU2Nzg5MGFi";
}
