using System;
using System.Diagnostics.CodeAnalysis;
using System.Diagnostics.Tracing;

namespace DmaSafe;

/// <summary>
/// The <c>DmaSafe</c> EventSource: bounces, swiotlb exhaustion, coherency faults and dma-debug violations as trace
/// events, for <c>dotnet-trace collect --providers DmaSafe</c> or an in-process <see cref="EventListener"/>.
/// Callers check <see cref="EventSource.IsEnabled(EventLevel, EventKeywords)"/> first, so with no session attached an
/// event costs one field read.
/// </summary>
[EventSource(Name = "DmaSafe")]
internal sealed unsafe class DmaEventSource : EventSource
{
    public const int BounceEventId = 1;
    public const int SwiotlbFullEventId = 2;
    public const int CoherencyFaultEventId = 3;
    public const int DmaDebugViolationEventId = 4;

    // WriteEventCore is flagged because some payloads are object graphs; ours are strings and primitives only.
    private const string PrimitivePayload = "Every payload field is a string or a primitive; nothing is serialized by reflection.";

    private DmaEventSource()
    {
    }

    public static DmaEventSource Log { get; } = new();

    [Event(
        BounceEventId,
        Level = EventLevel.Informational,
        Keywords = Keywords.Bounce,
        Message = "DMA bounce on {0}: {1} bytes {2} at offset {3} in line; allocated at {4} ({5}:{6}), mapped at {7} ({8}:{9})")]
    [UnconditionalSuppressMessage("Trimming", "IL2026:RequiresUnreferencedCode", Justification = PrimitivePayload)]
    public void Bounce(
        string device,
        long size,
        string direction,
        int offsetInLine,
        string allocationMember,
        string allocationFile,
        int allocationLine,
        string mapMember,
        string mapFile,
        int mapLine)
    {
        device ??= string.Empty;
        direction ??= string.Empty;
        allocationMember ??= string.Empty;
        allocationFile ??= string.Empty;
        mapMember ??= string.Empty;
        mapFile ??= string.Empty;

        fixed (char* devicePointer = device)
        fixed (char* directionPointer = direction)
        fixed (char* allocationMemberPointer = allocationMember)
        fixed (char* allocationFilePointer = allocationFile)
        fixed (char* mapMemberPointer = mapMember)
        fixed (char* mapFilePointer = mapFile)
        {
            var data = stackalloc EventData[10];
            SetString(ref data[0], devicePointer, device);
            SetValue(ref data[1], &size);
            SetString(ref data[2], directionPointer, direction);
            SetValue(ref data[3], &offsetInLine);
            SetString(ref data[4], allocationMemberPointer, allocationMember);
            SetString(ref data[5], allocationFilePointer, allocationFile);
            SetValue(ref data[6], &allocationLine);
            SetString(ref data[7], mapMemberPointer, mapMember);
            SetString(ref data[8], mapFilePointer, mapFile);
            SetValue(ref data[9], &mapLine);
            WriteEventCore(BounceEventId, 10, data);
        }
    }

    [Event(
        SwiotlbFullEventId,
        Level = EventLevel.Warning,
        Keywords = Keywords.Swiotlb,
        Message = "software IO TLB: {0}: no room for a {1}-byte mapping [total slots={2}] [used slots={3}]")]
    [UnconditionalSuppressMessage("Trimming", "IL2026:RequiresUnreferencedCode", Justification = PrimitivePayload)]
    public void SwiotlbFull(string device, long size, int totalSlots, int usedSlots)
    {
        device ??= string.Empty;

        fixed (char* devicePointer = device)
        {
            var data = stackalloc EventData[4];
            SetString(ref data[0], devicePointer, device);
            SetValue(ref data[1], &size);
            SetValue(ref data[2], &totalSlots);
            SetValue(ref data[3], &usedSlots);
            WriteEventCore(SwiotlbFullEventId, 4, data);
        }
    }

    [Event(
        CoherencyFaultEventId,
        Level = EventLevel.Error,
        Keywords = Keywords.Coherency,
        Message = "coherency fault on {1}: {0} at {5} [line=0x{2:x}] [addr=0x{3:x}] [len={4}] owners: {6}")]
    [UnconditionalSuppressMessage("Trimming", "IL2026:RequiresUnreferencedCode", Justification = PrimitivePayload)]
    public void CoherencyFault(string kind, string device, ulong cacheLine, ulong address, int length, string cause, string owners)
    {
        kind ??= string.Empty;
        device ??= string.Empty;
        cause ??= string.Empty;
        owners ??= string.Empty;

        fixed (char* kindPointer = kind)
        fixed (char* devicePointer = device)
        fixed (char* causePointer = cause)
        fixed (char* ownersPointer = owners)
        {
            var data = stackalloc EventData[7];
            SetString(ref data[0], kindPointer, kind);
            SetString(ref data[1], devicePointer, device);
            SetValue(ref data[2], &cacheLine);
            SetValue(ref data[3], &address);
            SetValue(ref data[4], &length);
            SetString(ref data[5], causePointer, cause);
            SetString(ref data[6], ownersPointer, owners);
            WriteEventCore(CoherencyFaultEventId, 7, data);
        }
    }

    [Event(
        DmaDebugViolationEventId,
        Level = EventLevel.Error,
        Keywords = Keywords.DmaDebug,
        Message = "DMA-API: {1}: [{0}] {2} Mapped at: {3}")]
    [UnconditionalSuppressMessage("Trimming", "IL2026:RequiresUnreferencedCode", Justification = PrimitivePayload)]
    public void DmaDebugViolation(string check, string device, string message, string mapSite)
    {
        check ??= string.Empty;
        device ??= string.Empty;
        message ??= string.Empty;
        mapSite ??= string.Empty;

        fixed (char* checkPointer = check)
        fixed (char* devicePointer = device)
        fixed (char* messagePointer = message)
        fixed (char* mapSitePointer = mapSite)
        {
            var data = stackalloc EventData[4];
            SetString(ref data[0], checkPointer, check);
            SetString(ref data[1], devicePointer, device);
            SetString(ref data[2], messagePointer, message);
            SetString(ref data[3], mapSitePointer, mapSite);
            WriteEventCore(DmaDebugViolationEventId, 4, data);
        }
    }

    [NonEvent]
    private static void SetString(ref EventData data, char* pointer, string value)
    {
        // Strings go as UTF-16 with their terminating NUL, which a pinned .NET string always has.
        data.DataPointer = (IntPtr)pointer;
        data.Size = (value.Length + 1) * sizeof(char);
    }

    [NonEvent]
    private static void SetValue<T>(ref EventData data, T* value)
        where T : unmanaged
    {
        data.DataPointer = (IntPtr)value;
        data.Size = sizeof(T);
    }

    /// <summary>The event groups a session can ask for (<c>--providers DmaSafe:0x1</c> for bounces only).</summary>
    public static class Keywords
    {
        public const EventKeywords Bounce = (EventKeywords)0x1;
        public const EventKeywords Swiotlb = (EventKeywords)0x2;
        public const EventKeywords Coherency = (EventKeywords)0x4;
        public const EventKeywords DmaDebug = (EventKeywords)0x8;
    }
}
