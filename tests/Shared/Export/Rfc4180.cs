using System.Collections.Generic;
using System.Text;
using Xunit;

namespace HiddenSpace.Tests.Export;

/// <summary>Reads back the CSV files the exporters write.</summary>
internal static class Rfc4180
{
    /// <summary>A strict RFC 4180 reader: CRLF records, quoted fields with doubled quotes.</summary>
    public static List<string[]> Read(string text)
    {
        var records = new List<string[]>();
        var record = new List<string>();
        var field = new StringBuilder();
        int i = 0;
        while (i < text.Length)
        {
            if (text[i] == '"')
            {
                for (i++; ; i++)
                {
                    if (text[i] != '"') field.Append(text[i]);
                    else if (i + 1 < text.Length && text[i + 1] == '"') field.Append(text[++i]);
                    else { i++; break; }
                }
            }
            else
            {
                while (text[i] is not (',' or '\r')) field.Append(text[i++]);
            }
            record.Add(field.ToString());
            field.Clear();
            if (text[i] == ',') { i++; continue; }
            Assert.Equal("\r\n", text.Substring(i, 2));
            i += 2;
            records.Add(record.ToArray());
            record.Clear();
        }
        return records;
    }
}
