using Microsoft.CodeAnalysis;

namespace SecureByDesign.Analyzers.Trust;

/// <summary>
/// What a web server's client sent: the cookies, headers, form fields and query string of a request
/// (<see cref="TrustCatalog.RequestMembers"/>), on a type named as a request is (<see cref="TrustCatalog.RequestTypes"/>).
/// Matched by name, as the annotations are: a framework's own request type has no metadata name the catalog could list,
/// and the framework that declares it is the code scanned. Another framework's members are configured as content names
/// (<see cref="TrustOptions.ContentNamesKey"/>).
/// </summary>
internal static class Requests
{
    /// <summary>The note of the request member the property is, or null when it is none.</summary>
    public static string? Sent(IPropertySymbol property)
    {
        if (property.IsIndexer || property.IsStatic || Note(property.Name) is not { } note || property.ContainingType is not { } owner)
        {
            return null;
        }

        for (var type = owner; type is not null; type = type.BaseType)
        {
            if (TrustCatalog.RequestTypes.Contains(type.Name))
            {
                return note;
            }
        }

        return owner.AllInterfaces.Any(i => TrustCatalog.RequestTypes.Contains(i.Name)) ? note : null;
    }

    private static string? Note(string name)
    {
        foreach (var (member, note) in TrustCatalog.RequestMembers)
        {
            if (member == name)
            {
                return note;
            }
        }

        return null;
    }
}
