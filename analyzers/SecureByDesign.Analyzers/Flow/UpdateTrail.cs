namespace SecureByDesign.Analyzers.Flow;

/// <summary>
/// What update validation needs to know of a value: the network download it comes from (also for a file that was
/// written from one), whether a signature check of it passed on every path, and, for the result of a check, which
/// values a true result proves verified (<c>var ok = rsa.VerifyData(data, ...); if (!ok) throw ...</c>). Immutable.
/// </summary>
internal sealed class UpdateTrail : IEquatable<UpdateTrail>
{
    public UpdateTrail(string? download, bool verified, KeySet verifiesWhenTrue)
    {
        Download = download;
        Verified = verified;
        VerifiesWhenTrue = verifiesWhenTrue;
    }

    /// <summary>Where the downloaded data came from, for messages: "HttpClient.GetByteArrayAsync (line 9)"; null when not downloaded.</summary>
    public string? Download { get; }

    /// <summary>A signature verification of the value succeeded on every path here.</summary>
    public bool Verified { get; }

    /// <summary>For a bool: the keys verified when it is true.</summary>
    public KeySet VerifiesWhenTrue { get; }

    /// <summary>Downloaded, and not (yet) verified.</summary>
    public bool Unverified => Download is not null && !Verified;

    public static UpdateTrail FromDownload(string origin) => new(origin, false, FlowKey.EmptySet);

    public static UpdateTrail ProvingWhenTrue(KeySet keys) => new(null, false, keys);

    /// <summary>What a value computed from this one carries: the download and its verification, not what a bool proves.</summary>
    public UpdateTrail? Derived() => Download is null ? null : new(Download, Verified, FlowKey.EmptySet);

    public UpdateTrail AsVerified() => new(Download, true, VerifiesWhenTrue);

    /// <summary>After two paths merge: downloaded on either, verified only where it was downloaded on both.</summary>
    public static UpdateTrail? Join(UpdateTrail? a, UpdateTrail? b)
    {
        if (a is null && b is null)
        {
            return null;
        }

        var download = a?.Download ?? b?.Download;
        var verified = download is not null && (a?.Download is null || a.Verified) && (b?.Download is null || b.Verified);
        var proves = a is null || b is null ? FlowKey.EmptySet : a.VerifiesWhenTrue.Intersect(b.VerifiesWhenTrue);
        return download is null && proves.IsEmpty ? null : new UpdateTrail(download, verified, proves);
    }

    public bool Equals(UpdateTrail? other) =>
        other is not null && Download == other.Download && Verified == other.Verified && VerifiesWhenTrue.SetEquals(other.VerifiesWhenTrue);

    public override bool Equals(object? obj) => Equals(obj as UpdateTrail);

    public override int GetHashCode() => (Download, Verified, VerifiesWhenTrue.Count).GetHashCode();
}
