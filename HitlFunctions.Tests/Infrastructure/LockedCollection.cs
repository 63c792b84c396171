using System.Collections;

namespace HitlFunctions.Tests.Infrastructure;

/// <summary>A list that exporters on any thread may add to while a test reads snapshots of it.</summary>
public sealed class LockedCollection<T> : ICollection<T>
{
    private readonly List<T> items = [];
    private readonly Lock gate = new();

    public int Count
    {
        get
        {
            lock (this.gate)
            {
                return this.items.Count;
            }
        }
    }

    public bool IsReadOnly => false;

    public T[] Snapshot()
    {
        lock (this.gate)
        {
            return [.. this.items];
        }
    }

    public void Add(T item)
    {
        lock (this.gate)
        {
            this.items.Add(item);
        }
    }

    public void Clear()
    {
        lock (this.gate)
        {
            this.items.Clear();
        }
    }

    public bool Contains(T item)
    {
        lock (this.gate)
        {
            return this.items.Contains(item);
        }
    }

    public void CopyTo(T[] array, int arrayIndex)
    {
        lock (this.gate)
        {
            this.items.CopyTo(array, arrayIndex);
        }
    }

    public bool Remove(T item)
    {
        lock (this.gate)
        {
            return this.items.Remove(item);
        }
    }

    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)this.Snapshot()).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => this.GetEnumerator();
}
