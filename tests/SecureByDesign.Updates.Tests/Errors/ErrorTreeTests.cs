using System.Reflection;
using SecureByDesign.Updates.Errors;

namespace SecureByDesign.Updates.Tests.Errors;

/// <summary>The typed error tree over the stable codes (python-tuf's and go-tuf's exceptions, our codes kept).</summary>
public class ErrorTreeTests
{
    [Theory]
    [InlineData(ProblemCodes.ThresholdNotMet, typeof(UnsignedMetadataException))]
    [InlineData(ProblemCodes.SignatureMissing, typeof(MissingSignatureException))]
    [InlineData(ProblemCodes.BadVersion, typeof(BadVersionException))]
    [InlineData(ProblemCodes.Rollback, typeof(RollbackException))]
    [InlineData(ProblemCodes.Expired, typeof(ExpiredMetadataException))]
    [InlineData(ProblemCodes.MetadataLengthMismatch, typeof(LengthOrHashMismatchException))]
    [InlineData(ProblemCodes.MetadataHashMismatch, typeof(LengthOrHashMismatchException))]
    [InlineData(ProblemCodes.TargetLengthMismatch, typeof(LengthOrHashMismatchException))]
    [InlineData(ProblemCodes.TargetHashMismatch, typeof(LengthOrHashMismatchException))]
    [InlineData(ProblemCodes.DownloadFailed, typeof(DownloadException))]
    [InlineData(ProblemCodes.InvalidMetadata, typeof(RepositoryException))]
    [InlineData(ProblemCodes.TooManyRootRotations, typeof(RepositoryException))]
    [InlineData(ProblemCodes.RootJsonMismatch, typeof(RepositoryException))]
    [InlineData(ProblemCodes.TargetNotFound, typeof(UpdateException))]
    [InlineData(ProblemCodes.RolloutViolation, typeof(UpdateException))]
    public void Create_GivesTheTypeOfTheCode_AndKeepsTheCode(string code, Type type)
    {
        UpdateException e = UpdateException.Create(code, "x.json: message");
        Assert.Equal(type, e.GetType());
        Assert.Equal(code, e.Code);
        Assert.Equal(code + " x.json: message", e.ToProblem().ToString());
    }

    [Fact]
    public void EveryLeafType_KeepsTheCodeItIsDocumentedWith()
    {
        Assert.Equal(ProblemCodes.BadVersion, new EqualVersionException("m").Code);
        Assert.IsAssignableFrom<BadVersionException>(new EqualVersionException("m"));
        Assert.IsAssignableFrom<BadVersionException>(new RollbackException("m"));
        Assert.IsAssignableFrom<RepositoryException>(new ExpiredMetadataException("m"));
        Assert.Equal(ProblemCodes.SignatureMissing, new MissingSignatureException("m").Code);
        Assert.IsAssignableFrom<UnsignedMetadataException>(new MissingSignatureException("m"));
        Assert.IsNotAssignableFrom<RepositoryException>(new DownloadException("m"));
    }

    [Fact]
    public void EveryCode_StillHasItsMeaning()
    {
        // The gate maps codes one-to-one to SBD5xxx: codes are only ever added (ProblemCodes), never renumbered.
        var codes = typeof(ProblemCodes).GetFields(BindingFlags.Public | BindingFlags.Static).ToDictionary(f => f.Name, f => (string)f.GetValue(null)!);
        Assert.Equal("SBDU006", codes[nameof(ProblemCodes.ThresholdNotMet)]);
        Assert.Equal("SBDU019", codes[nameof(ProblemCodes.TooManyRootRotations)]);
        Assert.Equal("SBDU029", codes[nameof(ProblemCodes.RootJsonMismatch)]);
        Assert.Equal("SBDU030", codes[nameof(ProblemCodes.SignatureMissing)]);
        Assert.Equal(codes.Count, codes.Values.Distinct().Count());
    }
}
