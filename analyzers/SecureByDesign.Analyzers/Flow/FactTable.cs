using System.Collections;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>
/// The table of a <see cref="FlowState"/>: its facts by key (compared with <see cref="FlowKey.Comparer"/>), in the order
/// they were first set. A state holds a few dozen facts at most and is copied at most once per block visit and per
/// branch, so the table is one flat array of entries, each with its key's hash: a copy is one allocation of the entries
/// in use (a dictionary's copy made three, its buckets and spare entries included, and copies were a fifth of what
/// the engine allocated), and a lookup is a scan that compares hashes and calls the comparer only where they match.
/// </summary>
internal sealed class FactTable : IReadOnlyDictionary<object, ValueFact>
{
    private Entry[] entries;
    private int count;

    public FactTable()
    {
        entries = Array.Empty<Entry>();
    }

    /// <summary>A copy, with room for a couple of new keys (a copy is made to be changed).</summary>
    public FactTable(FactTable other)
    {
        entries = new Entry[other.count + 2];
        Array.Copy(other.entries, entries, other.count);
        count = other.count;
    }

    public int Count => count;

    public IEnumerable<object> Keys
    {
        get
        {
            for (var i = 0; i < count; i++)
            {
                yield return entries[i].Key;
            }
        }
    }

    public IEnumerable<ValueFact> Values
    {
        get
        {
            for (var i = 0; i < count; i++)
            {
                yield return entries[i].Value;
            }
        }
    }

    public ValueFact this[object key]
    {
        get => TryGetValue(key, out var fact) ? fact : throw new KeyNotFoundException();
        set
        {
            var hash = FlowKey.Comparer.GetHashCode(key);
            var index = IndexOf(key, hash);
            if (index >= 0)
            {
                entries[index].Value = value;
                return;
            }

            if (count == entries.Length)
            {
                Array.Resize(ref entries, Math.Max(4, count * 2));
            }

            entries[count++] = new Entry(hash, key, value);
        }
    }

    public bool ContainsKey(object key) => IndexOf(key, FlowKey.Comparer.GetHashCode(key)) >= 0;

    public bool TryGetValue(object key, out ValueFact value)
    {
        var index = IndexOf(key, FlowKey.Comparer.GetHashCode(key));
        value = index >= 0 ? entries[index].Value : null!;
        return index >= 0;
    }

    public bool Remove(object key)
    {
        var index = IndexOf(key, FlowKey.Comparer.GetHashCode(key));
        if (index < 0)
        {
            return false;
        }

        Array.Copy(entries, index + 1, entries, index, count - index - 1);
        entries[--count] = default;
        return true;
    }

    public Enumerator GetEnumerator() => new(this);

    IEnumerator<KeyValuePair<object, ValueFact>> IEnumerable<KeyValuePair<object, ValueFact>>.GetEnumerator()
    {
        for (var i = 0; i < count; i++)
        {
            yield return new(entries[i].Key, entries[i].Value);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => ((IEnumerable<KeyValuePair<object, ValueFact>>)this).GetEnumerator();

    private int IndexOf(object key, int hash)
    {
        for (var i = 0; i < count; i++)
        {
            if (entries[i].Hash == hash && FlowKey.Comparer.Equals(entries[i].Key, key))
            {
                return i;
            }
        }

        return -1;
    }

    private struct Entry
    {
        public readonly int Hash;
        public readonly object Key;
        public ValueFact Value;

        public Entry(int hash, object key, ValueFact value)
        {
            Hash = hash;
            Key = key;
            Value = value;
        }
    }

    /// <summary>A walk of the entries that allocates nothing; the table must not change during it.</summary>
    public struct Enumerator
    {
        private readonly FactTable table;
        private int index;

        internal Enumerator(FactTable table)
        {
            this.table = table;
            index = -1;
        }

        public KeyValuePair<object, ValueFact> Current => new(table.entries[index].Key, table.entries[index].Value);

        public bool MoveNext() => ++index < table.count;
    }
}
