using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection.Metadata;

namespace DmaSafe.Package.Tests.Infrastructure;

/// <summary>Facts read from an assembly's metadata without loading it.</summary>
internal static class AssemblyFacts
{
    /// <summary>The assembly's [TargetFramework] name, e.g. ".NETCoreApp,Version=v8.0"; "" when it has none.</summary>
    public static string TargetFramework(MetadataReader reader)
    {
        foreach (var handle in reader.GetAssemblyDefinition().GetCustomAttributes())
        {
            var attribute = reader.GetCustomAttribute(handle);
            if (AttributeTypeName(reader, attribute) != "System.Runtime.Versioning.TargetFrameworkAttribute")
            {
                continue;
            }

            var blob = reader.GetBlobReader(attribute.Value);
            if (blob.ReadUInt16() != 1)
            {
                throw new BadImageFormatException("A custom attribute blob without the 0x0001 prolog.");
            }

            return blob.ReadSerializedString() ?? "";
        }

        return "";
    }

    /// <summary>The assemblies <paramref name="reader"/> references, by name, with their versions.</summary>
    public static IReadOnlyDictionary<string, Version> References(MetadataReader reader) =>
        reader.AssemblyReferences
            .Select(reader.GetAssemblyReference)
            .ToDictionary(r => reader.GetString(r.Name), r => r.Version, StringComparer.Ordinal);

    private static string AttributeTypeName(MetadataReader reader, CustomAttribute attribute)
    {
        EntityHandle type;
        if (attribute.Constructor.Kind == HandleKind.MemberReference)
        {
            type = reader.GetMemberReference((MemberReferenceHandle)attribute.Constructor).Parent;
        }
        else if (attribute.Constructor.Kind == HandleKind.MethodDefinition)
        {
            type = reader.GetMethodDefinition((MethodDefinitionHandle)attribute.Constructor).GetDeclaringType();
        }
        else
        {
            return "";
        }

        return type.Kind switch
        {
            HandleKind.TypeReference => FullName(reader, reader.GetTypeReference((TypeReferenceHandle)type).Namespace, reader.GetTypeReference((TypeReferenceHandle)type).Name),
            HandleKind.TypeDefinition => FullName(reader, reader.GetTypeDefinition((TypeDefinitionHandle)type).Namespace, reader.GetTypeDefinition((TypeDefinitionHandle)type).Name),
            _ => "",
        };
    }

    private static string FullName(MetadataReader reader, StringHandle ns, StringHandle name) =>
        reader.GetString(ns) + "." + reader.GetString(name);
}
