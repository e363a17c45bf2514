using System;
using System.Collections.Generic;
using System.Diagnostics.Metrics;
using System.Threading;

namespace DmaSafe.Runtime.Tests.Soak;

/// <summary>
/// Sums the DmaSafe Meter's counters for one soak machine's devices (the Meter is process-wide and other tests run in
/// parallel, so measurements are kept by device name) and reads its slot gauge by machine id.
/// </summary>
internal sealed class SoakMeterListener : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly HashSet<string> _devices;
    private readonly long _machineId;
    private readonly Dictionary<string, long> _sums = new();
    private long _lastSlotsInUse = -1;

    public SoakMeterListener(IEnumerable<string> deviceNames, long machineId)
    {
        _devices = new HashSet<string>(deviceNames);
        _machineId = machineId;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "DmaSafe")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>(OnMeasurement);
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, state) => OnMeasurement(instrument, value, tags, state));
        _listener.Start();
    }

    public long Sum(string instrument)
    {
        lock (_sums)
        {
            return _sums.TryGetValue(instrument, out var sum) ? sum : 0;
        }
    }

    /// <summary>Polls the observable gauge and returns this machine's swiotlb slots in use (-1 if it reported none).</summary>
    public long SlotsInUse()
    {
        Interlocked.Exchange(ref _lastSlotsInUse, -1);
        _listener.RecordObservableInstruments();
        return Interlocked.Read(ref _lastSlotsInUse);
    }

    public void Dispose() => _listener.Dispose();

    private void OnMeasurement(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        string? device = null;
        long? machine = null;
        foreach (var tag in tags)
        {
            if (tag.Key == "device")
            {
                device = tag.Value as string;
            }
            else if (tag.Key == "machine" && tag.Value is long id)
            {
                machine = id;
            }
        }

        if (instrument.Name == "dmasafe.swiotlb.slots_in_use")
        {
            if (machine == _machineId)
            {
                Interlocked.Exchange(ref _lastSlotsInUse, value);
            }

            return;
        }

        if (device is null || !_devices.Contains(device))
        {
            return;
        }

        lock (_sums)
        {
            _sums[instrument.Name] = (_sums.TryGetValue(instrument.Name, out var sum) ? sum : 0) + value;
        }
    }
}
