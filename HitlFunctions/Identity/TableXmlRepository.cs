using System.Xml.Linq;
using Azure.Data.Tables;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace HitlFunctions.Identity;

/// <summary>
/// The Data Protection key ring in an Azure table (one row per key, its XML as written by ASP.NET Core), so the session
/// cookie and antiforgery tokens one instance of the Functions app issues are read by every other instance and after
/// a restart. The table is the app's own storage, reached with the app's identity; nothing else is given access to it.
/// </summary>
public sealed class TableXmlRepository(TableClient table) : IXmlRepository
{
    private const string Partition = "key";

    private readonly Lazy<bool> created = new(() => table.CreateIfNotExists() is not null, LazyThreadSafetyMode.PublicationOnly);

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        _ = this.created.Value;
        return [.. table.Query<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {Partition}"), select: ["Xml"])
            .Select(row => XElement.Parse(row.GetString("Xml") ?? "<empty />"))
            .Where(element => element.Name != "empty")];
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        _ = this.created.Value;
        string rowKey = string.IsNullOrWhiteSpace(friendlyName) ? Guid.NewGuid().ToString("N") : friendlyName;
        table.UpsertEntity(new TableEntity(Partition, rowKey) { ["Xml"] = element.ToString(SaveOptions.DisableFormatting) }, TableUpdateMode.Replace);
    }
}
