using System.Collections;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>
/// A small immutable set of keys compared with <see cref="FlowKey.Comparer"/>: the buffers a value is below or at most
/// the length of, the values a check proves verified. Such a set holds a few keys at most and is read far more often
/// than it is changed (every assignment asks every fact whether it mentions the key), so it is a flat array: a lookup
/// is a short scan, and a walk allocates nothing, where a hash set's walk allocated and copied at each step.
/// </summary>
internal sealed class KeySet : IReadOnlyCollection<object>
{
    public static readonly KeySet Empty = new(Array.Empty<object>());

    private readonly object[] keys;

    private KeySet(object[] keys) => this.keys = keys;

    public int Count => keys.Length;

    public bool IsEmpty => keys.Length == 0;

    public static KeySet Of(IEnumerable<object> keys) => keys as KeySet ?? Empty.Union(keys);

    public bool Contains(object key) => IndexOf(key) >= 0;

    public KeySet Add(object key)
    {
        if (Contains(key))
        {
            return this;
        }

        var added = new object[keys.Length + 1];
        Array.Copy(keys, added, keys.Length);
        added[keys.Length] = key;
        return new KeySet(added);
    }

    public KeySet Remove(object key)
    {
        var index = IndexOf(key);
        if (index < 0)
        {
            return this;
        }

        if (keys.Length == 1)
        {
            return Empty;
        }

        var kept = new object[keys.Length - 1];
        Array.Copy(keys, kept, index);
        Array.Copy(keys, index + 1, kept, index, keys.Length - index - 1);
        return new KeySet(kept);
    }

    public KeySet Union(IEnumerable<object> other)
    {
        if (IsEmpty && other is KeySet set)
        {
            return set;
        }

        List<object>? added = null;
        foreach (var key in other)
        {
            if (!Contains(key) && (added is null || !added.Contains(key, FlowKey.Comparer)))
            {
                (added ??= new()).Add(key);
            }
        }

        return added is null ? this : new KeySet(keys.Concat(added).ToArray());
    }

    public KeySet Intersect(IEnumerable<object> other)
    {
        var set = Of(other);
        return Where(set.Contains);
    }

    public KeySet Except(IEnumerable<object> other)
    {
        var set = Of(other);
        return set.IsEmpty ? this : Where(key => !set.Contains(key));
    }

    public bool SetEquals(KeySet other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (keys.Length != other.keys.Length)
        {
            return false;
        }

        foreach (var key in keys)
        {
            if (!other.Contains(key))
            {
                return false;
            }
        }

        return true;
    }

    public bool Overlaps(KeySet other)
    {
        foreach (var key in keys)
        {
            if (other.Contains(key))
            {
                return true;
            }
        }

        return false;
    }

    public Enumerator GetEnumerator() => new(keys);

    IEnumerator<object> IEnumerable<object>.GetEnumerator() => ((IEnumerable<object>)keys).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => keys.GetEnumerator();

    private int IndexOf(object key)
    {
        for (var i = 0; i < keys.Length; i++)
        {
            if (FlowKey.Comparer.Equals(keys[i], key))
            {
                return i;
            }
        }

        return -1;
    }

    private KeySet Where(Func<object, bool> keep)
    {
        if (IsEmpty)
        {
            return this;
        }

        List<object>? kept = null;
        for (var i = 0; i < keys.Length; i++)
        {
            if (keep(keys[i]))
            {
                kept?.Add(keys[i]);
            }
            else if (kept is null)
            {
                kept = new List<object>(keys.Take(i));
            }
        }

        return kept is null ? this : kept.Count == 0 ? Empty : new KeySet(kept.ToArray());
    }

    /// <summary>A walk of the keys that allocates nothing.</summary>
    public struct Enumerator
    {
        private readonly object[] keys;
        private int index;

        internal Enumerator(object[] keys)
        {
            this.keys = keys;
            index = -1;
        }

        public object Current => keys[index];

        public bool MoveNext() => ++index < keys.Length;
    }
}
