namespace DmaSafe.Analyzers.Tests.Flow;

/// <summary>The usings and structs the flow tests trace through (each test file adds its own sinks);
/// it ends with a blank line, as the preludes it was cut from did.</summary>
internal static class FlowPrelude
{
    public const string Structs = """
        using System;
        using System.Runtime.CompilerServices;
        using System.Runtime.InteropServices;
        using DmaSafe;

        public unsafe struct Inner { public int Head; public fixed byte Buf[64]; }

        [InlineArray(32)]
        public struct Line { private byte _b; }

        public unsafe struct State
        {
            public int Status;
            public fixed byte Rx[64];
            public Inner Inner;
            public Line Tx;
            public byte* Ext;
        }


        """;
}
