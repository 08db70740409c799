import { intlDialogues } from './dialogues-intl.ts';

// Support conversations as alternating lines, contact first. A seeded conversation takes the
// first 2–12 lines of one of these. Placeholders: {first} (contact), {agent}, {order}, {code}, {date}.

export type Dialogue = readonly string[];

const english: Dialogue[] = [
  [
    'Hi, where is my order {order}? It was supposed to arrive yesterday.',
    'Hi {first}, this is {agent}. Let me check that for you right away.',
    'Thanks. The tracking page has said "in transit" for three days.',
    'I see it: the parcel was held at the regional hub because of the weather. It is back on the road now.',
    'Ok, so when will it arrive?',
    'The carrier now estimates {date}. I have added a note to keep an eye on it.',
    'Can I get a refund on the express shipping at least?',
    'Of course. I have refunded the shipping fee, you will see it on your card in 3–5 business days.',
    'Great, thank you!',
    'You are welcome! Anything else I can help with?',
    'No, that is all.',
    'Have a lovely day, {first}!',
  ],
  [
    'I want to return the shoes I bought, they are too small.',
    'Sorry to hear that! Which size would you like instead, or do you prefer a refund?',
    'Can I exchange them for a 42?',
    'Yes, the 42 is in stock. I have started the exchange for order {order}.',
    'Do I have to pay for the return?',
    'No, exchanges are free. You will get a prepaid label by email in a few minutes.',
    'Got it. Do I need the original box?',
    'It helps, but any sturdy box is fine.',
    'Perfect, thanks',
    'Happy to help. The new pair ships as soon as the carrier scans your parcel.',
  ],
  [
    'Hello? I can not log in to my account',
    'Hi {first}! I can help. Do you see an error message?',
    'It says my password is wrong but I am sure it is right',
    'I have sent you a password reset link. Could you try it and tell me if it works?',
    'I did not get any email',
    'Could you check your spam folder? It comes from no-reply@acme.example.',
    'Found it, it was in spam. Resetting now',
    'Great. Let me know once you are in.',
    'It works now, thanks!',
    'Glad to hear it. Have a nice day!',
  ],
  [
    'Do you have the blue backpack in stock?',
    'Hi {first}, the blue one is sold out right now, sorry. We expect new stock on {date}.',
    'Can you tell me when it is back?',
    'Sure, I have subscribed you to a back-in-stock notification for it.',
    'Is the green one the same size?',
    'Yes, same 28-litre model, only the colour differs.',
    'Ok I will wait for the blue one',
    'Sounds good! You will get a message the moment it is available.',
  ],
  [
    'I was charged twice for my last order',
    'I am sorry about that, {first}. Could you confirm the order number?',
    "It's {order}",
    'Thank you. I can see two authorisations; one of them is a pending hold that the bank releases automatically.',
    'When will it disappear?',
    'Usually within 3 business days. If it is still there on {date}, write to us and I will refund it manually.',
    'Ok, thank you for explaining',
    'Of course. Sorry for the worry!',
  ],
  [
    'Hi! Is the discount code still valid? It does not work at checkout',
    'Hi {first}, which code are you trying?',
    '{code}',
    'That one expired on Sunday, but I can give you a new one: WELCOME10 takes 10% off your next order.',
    'Does it work on sale items too?',
    'It does, except gift cards.',
    'Awesome, it worked!',
    'Enjoy your order!',
  ],
  [
    'I would like to cancel my subscription',
    'Hi {first}, this is {agent}. I can help with that. May I ask why you would like to cancel?',
    'It is too expensive for me at the moment',
    'I understand. We could pause it for up to 3 months instead, or move you to the free plan. Would either work?',
    'Pausing sounds good actually',
    'Done: your subscription is paused until {date}. You will not be charged in the meantime.',
    'Thank you so much',
    'You are welcome! We will remind you a week before it resumes.',
    'Perfect',
    'Take care!',
  ],
  [
    'The item I received is damaged 😞',
    'Oh no, I am so sorry, {first}! Could you send a photo of the damage?',
    '[photo]',
    'Thank you. That is clearly transport damage. I am sending a replacement today, no need to return the broken one.',
    'Really? Thanks a lot',
    'Of course. Your replacement for order {order} should arrive by {date}.',
    'Will I get a tracking number?',
    'Yes, it comes by email as soon as the parcel is picked up.',
    'Great, thanks for the quick help',
    'My pleasure. Sorry again for the trouble!',
    'No worries',
    'Have a great week!',
  ],
  [
    'What are your opening hours on Saturday?',
    'Hi {first}! Our stores are open 9:00–18:00 on Saturdays, and this chat is staffed until 20:00.',
    'And Sunday?',
    'Sundays we are closed, but you can still order online and chat with our assistant.',
    'Thanks',
    'Anytime!',
  ],
  [
    'Can I change the delivery address for my order?',
    'Hi {first}, if it has not shipped yet, yes. What is the order number?',
    '{order}',
    'It has not shipped yet. Please send me the new address.',
    '221B Baker Street, 2nd floor',
    'Updated! Your order will go to the new address.',
    'Thank you!',
    'You are welcome, {first}.',
  ],
];

/** The dialogues in the contact's language when we have some, else English; and that language. */
export function dialoguesFor(language: string | null): { language: string; dialogues: readonly Dialogue[] } {
  const intl = language ? intlDialogues[language] : undefined;
  return intl && language ? { language, dialogues: intl } : { language: 'en', dialogues: english };
}
