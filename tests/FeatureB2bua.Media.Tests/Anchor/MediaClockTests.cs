using System.Collections.Concurrent;
using System.Diagnostics;
using FeatureB2bua.Media.Anchor;

namespace FeatureB2bua.Media.Tests.Anchor;

/// <summary>The media clock's timers: they fire when due, in order, once or periodically, not after Dispose, and keep their pace while the thread pool is starved.</summary>
public sealed class MediaClockTests
{
    [Fact]
    public async Task Timers_FireInDueOrder_OneShotOnce_DisposedNever()
    {
        using var clock = new MediaClock();
        var fired = new ConcurrentQueue<string>();
        using var late = clock.CreateTimer(_ => fired.Enqueue("late"), null, TimeSpan.FromMilliseconds(60), Timeout.InfiniteTimeSpan);
        using var early = clock.CreateTimer(_ => fired.Enqueue("early"), null, TimeSpan.FromMilliseconds(20), Timeout.InfiniteTimeSpan);
        var cancelled = clock.CreateTimer(_ => fired.Enqueue("cancelled"), null, TimeSpan.FromMilliseconds(40), Timeout.InfiniteTimeSpan);
        cancelled.Dispose();

        await Task.Delay(300);

        Assert.Equal(["early", "late"], fired);
    }

    [Fact]
    public async Task PeriodicTimer_FiresEachPeriod_UntilChangedToInfinite()
    {
        using var clock = new MediaClock();
        var count = 0;
        using var timer = clock.CreateTimer(_ => Interlocked.Increment(ref count), null, TimeSpan.Zero, TimeSpan.FromMilliseconds(20));

        await Task.Delay(500);
        timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        var stopped = Volatile.Read(ref count);
        await Task.Delay(100);

        Assert.InRange(stopped, 15, 27);
        Assert.Equal(stopped, Volatile.Read(ref count));
    }

    /// <summary>
    /// Hold music's case: a one-shot re-armed from its own callback every 20 ms. Every pool thread is kept busy
    /// meanwhile, which delays pool timers by the pool's thread injection (about a second here); this clock's do not
    /// wait for the pool.
    /// </summary>
    [Fact]
    public async Task RearmedEvery20ms_KeepsItsPace_WhileEveryPoolThreadIsBusy()
    {
        using var clock = new MediaClock();
        var ticks = new ConcurrentQueue<long>();
        ITimer? timer = null;
        timer = clock.CreateTimer(_ =>
        {
            ticks.Enqueue(Stopwatch.GetTimestamp());
            timer!.Change(TimeSpan.FromMilliseconds(20), Timeout.InfiniteTimeSpan);
        }, null, TimeSpan.Zero, Timeout.InfiniteTimeSpan);

        using var busy = new CountdownEvent(Environment.ProcessorCount * 4);
        for (var i = 0; i < busy.InitialCount; i++)
        {
            ThreadPool.UnsafeQueueUserWorkItem(_ => { Thread.Sleep(1500); busy.Signal(); }, null);
        }

        await Task.Run(() => busy.Wait(TimeSpan.FromSeconds(10)));
        timer.Dispose();

        var gaps = ticks.Zip(ticks.Skip(1), (a, b) => Stopwatch.GetElapsedTime(a, b)).ToList();
        Assert.True(gaps.Count > 40, $"{gaps.Count} ticks");
        Assert.True(gaps.Max() < TimeSpan.FromMilliseconds(200), $"longest gap {gaps.Max().TotalMilliseconds} ms");
    }
}
