using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace DmaSafe.Benchmarks.Analyzers.Generation;

/// <summary>
/// Writes the profile a CI run of the driver would leave (schema <c>dmasafe.bounces/1</c>), with the file paths of
/// another machine, as [CallerFilePath] records them there; DMA004 matches them by trailing path.
/// </summary>
internal static class BounceProfileWriter
{
    public const string FileName = "ci.dmabounces.json";

    /// <summary>Where the profile's sources lived on the machine that recorded it.</summary>
    public const string RecordedRoot = "/home/runner/work/synthetic/";

    public static GeneratedFile Write(IReadOnlyList<ProfiledSite> sites)
    {
        var json = new StringBuilder();
        json.Append("{\n  \"schema\": \"dmasafe.bounces/1\",\n  \"lineSize\": 128,\n  \"sites\": [");
        for (var i = 0; i < sites.Count; i++)
        {
            var s = sites[i];
            json.Append(i == 0 ? "\n" : ",\n");
            json.Append(CultureInfo.InvariantCulture,
                $"    {{ \"allocation\": {{ \"file\": \"{RecordedRoot}{s.File}\", \"line\": {s.AllocationLine}, \"member\": \"{s.AllocationMember}\" }},\n");
            json.Append(CultureInfo.InvariantCulture,
                $"      \"map\": {{ \"file\": \"{RecordedRoot}{s.File}\", \"line\": {s.MapLine}, \"member\": \"{s.MapMember}\" }},\n");
            json.Append(CultureInfo.InvariantCulture,
                $"      \"count\": {s.Count}, \"bytes\": {s.Bytes}, \"directions\": {{ \"FromDevice\": {s.Count} }} }}");
        }

        json.Append("\n  ]\n}\n");
        return new GeneratedFile(FileName, json.ToString());
    }
}
