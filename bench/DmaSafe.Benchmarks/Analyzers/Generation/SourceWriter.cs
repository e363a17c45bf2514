using System.Text;

namespace DmaSafe.Benchmarks.Analyzers.Generation;

/// <summary>
/// Builds one C# file line by line and knows the current line number, so the generator can record where each kmalloc
/// and map call lands (the bounce profile names sites by line, as [CallerLineNumber] does at run time).
/// </summary>
internal sealed class SourceWriter
{
    private readonly StringBuilder _text = new();
    private int _indent;

    /// <summary>The 1-based number of the line the next <see cref="Line"/> call writes.</summary>
    public int NextLineNumber { get; private set; } = 1;

    public SourceWriter Line(string line = "")
    {
        if (line.Length > 0)
        {
            _text.Append(' ', _indent * 4);
        }

        _text.Append(line).Append('\n');
        NextLineNumber++;
        return this;
    }

    /// <summary>Writes <paramref name="header"/> and an opening brace, and indents until <see cref="Close"/>.</summary>
    public SourceWriter Open(string header)
    {
        Line(header);
        Line("{");
        _indent++;
        return this;
    }

    public SourceWriter Close(string suffix = "")
    {
        _indent--;
        return Line("}" + suffix);
    }

    public override string ToString() => _text.ToString();
}
