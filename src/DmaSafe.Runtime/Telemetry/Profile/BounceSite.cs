using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;

namespace DmaSafe;

/// <summary>Bounces attributed to one allocation site and one map site: a snapshot, safe to keep.</summary>
/// <param name="AllocationSite">Where the bounced memory was allocated.</param>
/// <param name="MapSite">Where it was mapped.</param>
/// <param name="Count">How many mappings bounced.</param>
/// <param name="Bytes">How many bytes they moved through the pool.</param>
public sealed record BounceSite(SourceSite AllocationSite, SourceSite MapSite, long Count, long Bytes)
{
    private static readonly IReadOnlyDictionary<DmaDirection, long> NoDirections = new ReadOnlyDictionary<DmaDirection, long>(new Dictionary<DmaDirection, long>());
    private static readonly IReadOnlyDictionary<int, long> NoValues = new ReadOnlyDictionary<int, long>(new SortedDictionary<int, long>());

    /// <summary>How many of the bounces were made in each direction (directions never seen are absent).</summary>
    public IReadOnlyDictionary<DmaDirection, long> Directions { get; init; } = NoDirections;

    /// <summary>
    /// Histogram of the buffer's start within its <see cref="MachineOptions.DmaMinAlign"/> line (key: offset in bytes,
    /// value: bounces), smallest offset first. A single non-zero key means one allocation pattern keeps bouncing.
    /// </summary>
    public IReadOnlyDictionary<int, long> OffsetInLine { get; init; } = NoValues;

    /// <summary>Histogram of the mapping's size modulo the line (key: remainder in bytes, value: bounces), smallest first.</summary>
    public IReadOnlyDictionary<int, long> SizeModLine { get; init; } = NoValues;

    /// <summary>When the first of these bounces happened (UTC, by <see cref="MachineOptions.Clock"/>).</summary>
    public DateTimeOffset FirstSeen { get; init; }

    /// <summary>When the last of these bounces happened (UTC, by <see cref="MachineOptions.Clock"/>).</summary>
    public DateTimeOffset LastSeen { get; init; }

    /// <summary>
    /// One stack trace of a bounce at this site, when one was asked for (<see cref="MachineOptions.CaptureStackTraces"/>
    /// or <see cref="MachineOptions.BounceReports"/>); otherwise null.
    /// </summary>
    public string? ExampleStack { get; init; }
}
