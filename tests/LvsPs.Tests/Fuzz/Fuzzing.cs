using System.Globalization;
using System.Text;
using CsCheck;

namespace LvsPs.Tests.Fuzz;

/// <summary>
/// The fuzz harness: runs a property over inputs drawn from a CsCheck generator, deterministically from a seed, and
/// fails naming the input (escaped, as a C# literal) when the property throws or one input does not finish (a hang).
/// The test command runs a short seeded run; a longer one is the same test with LVSPS_FUZZ_ITERATIONS (and
/// LVSPS_FUZZ_SEED for a new sequence) set: see docs/fuzzing.md.
/// </summary>
internal static class Fuzzing
{
    /// <summary>How long one input may run before it counts as a hang (a bound on a loop, not a speed claim).</summary>
    private static readonly TimeSpan HangBound = TimeSpan.FromSeconds(20);

    public static int Iterations(int shortRun) =>
        int.TryParse(Environment.GetEnvironmentVariable("LVSPS_FUZZ_ITERATIONS"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : shortRun;

    public static ulong Seed(ulong fixedSeed) =>
        ulong.TryParse(Environment.GetEnvironmentVariable("LVSPS_FUZZ_SEED"), NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : fixedSeed;

    /// <summary>Runs <paramref name="property"/> on <paramref name="iterations"/> inputs; returns how many ran.</summary>
    public static int Run<T>(string target, Gen<T> gen, Action<T> property, Func<T, string> show, int iterations, ulong seed)
    {
        iterations = Iterations(iterations);
        seed = Seed(seed);
        var pcg = new PCG(1, seed);
        int index = -1;
        T current = default!;
        Exception? failure = null;
        var worker = new Thread(() =>
        {
            try
            {
                for (int i = 0; i < iterations; i++)
                {
                    var input = gen.Generate(pcg, null!, out _);
                    current = input;
                    Volatile.Write(ref index, i);
                    property(input);
                }
            }
            catch (Exception e)
            {
                failure = e;
            }
        }, 16 << 20) { IsBackground = true, Name = "fuzz " + target };
        worker.Start();
        int seen = -1;
        var since = DateTime.UtcNow;
        while (!worker.Join(TimeSpan.FromMilliseconds(200)))
        {
            int now = Volatile.Read(ref index);
            if (now != seen)
            {
                seen = now;
                since = DateTime.UtcNow;
            }
            else if (DateTime.UtcNow - since > HangBound)
            {
                throw new Xunit.Sdk.XunitException($"{target} (seed {seed}): input {now} did not finish within {HangBound.TotalSeconds} s: {Literal(show(current))}");
            }
        }
        if (failure is not null)
        {
            throw new Xunit.Sdk.XunitException($"{target} (seed {seed}): input {index} failed: {failure.GetType().Name}: {failure.Message}\ninput: {Literal(show(current))}\n{failure}");
        }
        return iterations;
    }

    /// <summary>The input as a C# string literal, cut to 4000 characters, to paste into a regression test.</summary>
    public static string Literal(string text)
    {
        var sb = new StringBuilder("\"");
        foreach (var c in text.Length > 4000 ? text[..4000] : text)
        {
            sb.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when c < ' ' || c > '~' => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }
        sb.Append('"');
        if (text.Length > 4000) sb.Append($" (cut; {text.Length} characters)");
        return sb.ToString();
    }

    public static string Hex(byte[] bytes) => Convert.ToHexString(bytes);

    /// <summary>
    /// Mutations of a seed text: each edit inserts, deletes, replaces or duplicates a run at a position, with characters
    /// from <paramref name="alphabet"/> (structure-aware fuzzing: the inputs stay close to real documents).
    /// </summary>
    public static Gen<string> Mutations(string[] seeds, string alphabet) =>
        Gen.Select(
            Gen.Int[0, seeds.Length - 1],
            Gen.Select(Gen.Int[0, 4], Gen.Int[0, int.MaxValue], Gen.Int[1, 12], Gen.String[Gen.Char[alphabet], 1, 12]).Array[1, 10],
            (which, edits) =>
            {
                var text = new StringBuilder(seeds[which]);
                foreach (var (kind, at, length, insert) in edits)
                {
                    int pos = text.Length == 0 ? 0 : at % text.Length;
                    int len = Math.Min(length, text.Length - pos);
                    switch (kind)
                    {
                        case 0: text.Insert(pos, insert); break;
                        case 1: text.Remove(pos, len); break;
                        case 2: text.Remove(pos, len).Insert(pos, insert); break;
                        case 3: text.Insert(pos, text.ToString(pos, len)); break;
                        default: text.Insert(pos, text.ToString(0, Math.Min(text.Length, 40))); break;
                    }
                }
                return text.ToString();
            });

    /// <summary>Byte mutations of a seed message: flips, overwrites with interesting values, inserts and cuts.</summary>
    public static Gen<byte[]> ByteMutations(byte[][] seeds) =>
        Gen.Select(
            Gen.Int[0, seeds.Length - 1],
            Gen.Select(Gen.Int[0, 3], Gen.Int[0, int.MaxValue], Gen.OneOf(Gen.Byte, Gen.Const((byte)0), Gen.Const((byte)0xFF), Gen.Const((byte)4), Gen.Const((byte)0x80))).Array[1, 8],
            (which, edits) =>
            {
                var bytes = new List<byte>(seeds[which]);
                foreach (var (kind, at, value) in edits)
                {
                    int pos = bytes.Count == 0 ? 0 : at % bytes.Count;
                    switch (kind)
                    {
                        case 0 when bytes.Count > 0: bytes[pos] = value; break;
                        case 1 when bytes.Count > 0: bytes[pos] ^= (byte)(1 << (at % 8)); break;
                        case 2: bytes.Insert(pos, value); break;
                        default: if (bytes.Count > 0) bytes.RemoveRange(pos, bytes.Count - pos); break;
                    }
                }
                return bytes.ToArray();
            });
}
